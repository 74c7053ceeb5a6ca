"""Forms of the releases pages. They parse input; the rules live in releases.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput

from .tables import table_choices


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("First day of the period"), widget=DateInput())
    period_end = forms.DateField(label=_("Last day of the period"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class TableReleaseForm(PeriodForm):
    table = forms.ChoiceField(label=_("Table"))
    epsilon = forms.DecimalField(
        label=_("Epsilon (privacy loss this release spends)"), max_digits=8, decimal_places=4,
        help_text=_("Smaller means more noise and stronger privacy. It is deducted from the privacy budget for good."),
        widget=forms.NumberInput(attrs={"step": "0.0001", "min": "0.0001", "inputmode": "decimal"}),
    )
    field_order = ["table", "period_start", "period_end", "epsilon"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["table"]
        field.choices = table_choices()


class SimfoniForm(PeriodForm):
    region = forms.ChoiceField(label=_("Region"))
    field_order = ["region", "period_start", "period_end"]

    def __init__(self, *args: Any, regions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["region"]
        field.choices = [(r.code, f"{r.code} {r.name}") for r in regions]
