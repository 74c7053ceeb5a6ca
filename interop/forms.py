from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import Channel


class ImportForm(forms.Form):
    document = forms.FileField(
        label=_("HTCDS 2.0 document (.json)"),
        help_text=_("A JSON file with HTCDS 2.0 field names and picklist values, for example from a partner's system."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices],
        help_text=_("How the survivor came to you, if the document does not say."),
    )
    lead_caseworker = forms.ChoiceField(label=_("Lead caseworker"), required=False)
    guardian_override_reason = forms.CharField(
        label=_("For a child without a guardian in the document: why no guardian can act"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
    )

    def __init__(self, *args: Any, caseworkers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["lead_caseworker"]
        field.choices = [("", _("— myself —")), *((str(u.pk), u.display_name) for u in caseworkers)]
        self.fields["document"].widget.attrs["accept"] = ".json,application/json"


class ExportForm(forms.Form):
    """Whom the case goes to and on what basis (``survivors.lawful_use.sharing_basis`` decides)."""

    recipient_organisation = forms.ChoiceField(label=_("Receiving organisation"))
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"),
        choices=[
            ("consent", _("the survivor's consent for sharing with this organisation (a consent record)")),
            ("legal_obligation", _("legal obligation")),
            ("vital_interest", _("vital interest")),
        ],
        initial="consent",
    )
    basis_reason = forms.CharField(
        label=_("Reason for the lawful basis"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a legal obligation or a vital interest: the legal provision or the reason."),
    )

    def __init__(self, *args: Any, recipients: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["recipient_organisation"]
        field.choices = [("", "—"), *((str(o.pk), o.name) for o in recipients)]
