from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class ProposeForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none(),
        help_text=_("For example the UPTD PPA of the survivor's home regency, for reintegration."),
    )
    reason = forms.CharField(label=_("Reason for the transfer"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=4000)

    def __init__(self, *args: Any, exclude_organisation_id: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_organisation"]
        field.queryset = Organisation.objects.filter(is_active=True).exclude(pk=exclude_organisation_id).order_by("name")


class AcceptForm(forms.Form):
    lead_caseworker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("New lead caseworker"), queryset=Organisation.objects.none())
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=4000)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["lead_caseworker"]
        field.queryset = candidates
        field.label_from_instance = lambda u: u.display_name


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=4000)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=4000)
