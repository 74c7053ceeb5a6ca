from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LinkageRequest


class LinkageFilterForm(forms.Form):
    code = forms.CharField(label=_("Survivor code"), required=False, max_length=16)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all"))] + list(LinkageRequest.Status.choices))


class LinkageDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note (optional, no names)"), required=False, max_length=300)


class EmergencyOpenForm(forms.Form):
    code = forms.CharField(label=_("Survivor code"), required=False, max_length=16)
    nik = forms.CharField(label=_("or NIK"), required=False, max_length=24,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
    reason = forms.CharField(label=_("Why is this an emergency?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Recorded, shown to the supervisors of the organisation that leads the case, "
                                         "and reviewed."))


class EmergencyReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Review"), choices=[("accepted", _("accept: the use was justified")),
                                                             ("reported", _("report as misuse"))])
    note = forms.CharField(label=_("Note (required to report)"), required=False, max_length=500)
