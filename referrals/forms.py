"""Forms of the referral pages. They parse input; the rules live in referrals.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput

from .models import Referral
from .packet import FIELDS, Template


class ReferralForm(forms.Form):
    """The packet: which fields of the template travel, the texts the sender writes, and the basis."""

    service_region = forms.ChoiceField(label=_("Where the service is needed"))
    goal = forms.ChoiceField(label=_("For which goal of the plan"), required=False)
    packet_fields = forms.MultipleChoiceField(label=_("What the partner will see"), widget=forms.CheckboxSelectMultiple,
                                       required=False)
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=Referral.Basis.choices,
                                     widget=forms.RadioSelect, initial=Referral.Basis.CONSENT)
    consent = forms.ChoiceField(label=_("Consent record"), required=False)
    basis_reason = forms.CharField(
        label=_("Reason for the lawful basis"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a legal obligation or a vital interest: the legal provision or the danger."),
    )

    def __init__(self, *args: Any, template: Template, regions: list[Any], goals: list[Any], consents: list[Any],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["service_region"].choices = [(r.code, r.name) for r in regions]  # type: ignore[attr-defined]
        self.fields["goal"].choices = [("", _("— none —")), *((str(g.pk), g.description) for g in goals)]  # type: ignore[attr-defined]
        self.fields["packet_fields"].choices = [(k, FIELDS[k].label) for k in template.fields]  # type: ignore[attr-defined]
        self.fields["packet_fields"].initial = list(template.defaults)
        self.fields["consent"].choices = [  # type: ignore[attr-defined]
            ("", _("— the latest covering consent —")),
            *((str(c.pk), f"{c.get_purpose_display()} · {c.given_on:%d-%m-%Y}") for c in consents),
        ]
        self.text_keys = [k for k in template.fields if FIELDS[k].is_text]
        for key in self.text_keys:
            self.fields[f"text_{key}"] = forms.CharField(
                label=str(FIELDS[key].label), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Shared only if its box above is ticked."),
            )

    def text_fields(self) -> list[Any]:
        return [self[f"text_{k}"] for k in self.text_keys]

    def texts(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"text_{k}") or "" for k in self.text_keys}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    delivered_on = forms.DateField(label=_("Date the service was given"), widget=DateInput())
    outcome_report = forms.CharField(
        label=_("Outcome report"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done and what changed. It becomes a service delivery in the referring "
                    "organisation's case file."),
    )
