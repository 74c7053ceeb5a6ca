"""Forms of the monitoring pages: the dashboard filter, a report request, a scope grant. They parse
and check input (clear messages for a period that ends before it starts, an unknown region, a region
outside the user's scope); the rules live in ``monitoring.services`` and ``monitoring.selectors``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from access.monitoring import Scope
from cases.forms import DateInput
from core import clock
from core.models import Region

from .indicators import disaggregations
from .models import Level, ReportRequest

BREAKDOWNS: dict[str, tuple[str, ...]] = {
    Level.ORGANISATION: ("sex", "age_band", "child", "nationality", "exploitation", "modus"),
    Level.REGION: ("regency", "organisation", "sex", "age_band", "child", "nationality", "exploitation", "modus"),
    Level.NATIONAL: ("province", "regency", "organisation", "sex", "age_band", "child", "nationality", "exploitation",
                     "modus"),
}
DEFAULT_BREAKDOWN: dict[str, str] = {Level.ORGANISATION: "sex", Level.REGION: "regency", Level.NATIONAL: "province"}


def current_semester(today: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
    return start, today


def region_clean(code: str, scope: Scope) -> Region | None:
    """A region code typed or chosen: known to the Kemendagri list and inside the user's scope."""
    code = (code or "").strip()
    if not code:
        return None
    region = Region.objects.filter(code=code, level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]).first()
    if region is None:
        raise forms.ValidationError(_("Unknown region: use a province or regency/city code such as 53 or 53.71."))
    if not scope.covers_region(region.code):
        raise forms.ValidationError(_("This region is outside your monitoring scope."))
    return region


class DashboardForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    region = forms.CharField(label=_("Region code"), required=False, max_length=8,
                             help_text=_("A province (53) or regency/city (53.71); empty: your whole scope."))
    breakdown = forms.ChoiceField(label=_("Break down by"), required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        if self.is_bound and not self.data.get("start") and not self.data.get("end"):
            # Show the period the dashboard uses when none is chosen (the current semester so far).
            start, end = current_semester(clock.today())
            self.data = {**{key: self.data.get(key) for key in self.data},
                         "start": start.isoformat(), "end": end.isoformat()}
        dims = disaggregations()
        breakdown = self.fields["breakdown"]
        assert isinstance(breakdown, forms.ChoiceField)
        breakdown.choices = [(code, dims[code].label) for code in BREAKDOWNS[scope.level]]
        if scope.level == Level.ORGANISATION:
            del self.fields["region"]
        elif scope.level == Level.REGION:
            self.fields["region"].help_text = _("Within your scope: %(regions)s.") % {"regions": ", ".join(scope.regions)}

    def clean_region(self) -> Region | None:
        return region_clean(self.cleaned_data.get("region", ""), self.scope)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default_start, default_end = current_semester(clock.today())
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if end < start:
            self.add_error("end", _("The period ends before it starts."))
        elif (end - start).days > 3 * 366:
            self.add_error("end", _("Choose a period of at most three years."))
        data["start"], data["end"] = start, end
        data["breakdown"] = data.get("breakdown") or DEFAULT_BREAKDOWN[self.scope.level]
        return data


class ReportRequestForm(forms.Form):
    period_kind = forms.ChoiceField(label=_("Period"), choices=ReportRequest.PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = forms.CharField(label=_("Region code"), required=False, max_length=8)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["year"].initial = clock.today().year
        if scope.level == Level.ORGANISATION:
            del self.fields["region"]
        elif scope.level == Level.REGION:
            self.fields["region"].required = True
            self.fields["region"].initial = scope.regions[0] if scope.regions else ""

    def clean_region(self) -> Region | None:
        return region_clean(self.cleaned_data.get("region", ""), self.scope)


class ScopeGrantForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    level = forms.ChoiceField(label=_("Level"), choices=[(Level.REGION, Level.REGION.label),
                                                         (Level.NATIONAL, Level.NATIONAL.label)])
    region = forms.CharField(label=_("Region code"), required=False, max_length=8)
