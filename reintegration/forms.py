"""Forms of the reintegration pages: they parse input; the rules live in reintegration.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput

from .models import ClosureReason, ContactMode
from .risk import FACTORS, RiskAnswer


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What was achieved, what remains, who else is involved."))
    follow_up_declined = forms.BooleanField(
        label=_("The survivor declines follow-up visits"), required=False,
        help_text=_("Otherwise follow-up visits are scheduled after closure (none when the reason is death)."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}))


class MissedForm(forms.Form):
    notes = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def risk_field_name(code: str) -> str:
    return f"risk_{code}"


class FollowUpRecordForm(forms.Form):
    done_on = forms.DateField(label=_("Date of the follow-up"), widget=DateInput())
    contact_mode = forms.ChoiceField(label=_("Contact"), choices=ContactMode.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("How the survivor is doing: family, work or school, health, safety."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in FACTORS:
            self.fields[risk_field_name(factor.code)] = forms.ChoiceField(
                label=factor.label, help_text=factor.help, choices=RiskAnswer.choices, widget=forms.RadioSelect,
            )

    def risk_fields(self) -> list[forms.BoundField]:
        return [self[risk_field_name(f.code)] for f in FACTORS]

    def answers(self) -> dict[str, str]:
        return {f.code: self.cleaned_data.get(risk_field_name(f.code)) or "" for f in FACTORS}
