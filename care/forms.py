"""Forms for the service pages. They parse input; the rules live in care.services, whose
ValidationErrors are put back on the fields (``cases.forms.apply_errors``)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from core.concurrency import VersionedForm
from core.forms import regency_choices

from .models import Service, ServiceApplication, ServiceDelivery
from .services import delivery_local_time


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DeliveryForm(VersionedForm):
    service = forms.ChoiceField(label=_("Service"), required=False)
    goal = forms.ChoiceField(label=_("For which goal of the plan"), required=False)
    delivered_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    delivered_time = forms.TimeField(
        label=_("Time"), required=False, widget=TimeInput(),
        help_text=_("Optional. Needed where a time limit is counted in hours (forwarding a report to the police)."),
    )
    delivered_by = forms.ChoiceField(label=_("Delivered by"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=200,
                            help_text=_("For example the shelter, health centre or office."))
    place_region = forms.ChoiceField(label=_("Regency or city"), required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False,
                                          widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}))
    cost = forms.DecimalField(label=_("Cost (Rp)"), required=False, min_value=0, max_digits=14, decimal_places=0,
                              widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
                              help_text=_("Optional. What the service cost, in whole rupiah: medical and "
                                          "psychological costs can then be claimed as restitution."))
    outcome_note = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done and what changed. Record no names of other people."),
    )

    def __init__(self, *args: Any, services: list[Service], team: list[Any], current: Service | None = None,
                 goals: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal_field: Any = self.fields["goal"]
        goal_field.choices = [("", "—")] + [(str(g.pk), f"{g.get_domain_display()}: {g.description}"[:120])
                                            for g in goals]
        options = list(services)
        if current is not None and current not in options:
            options.append(current)
        groups: dict[str, list[tuple[str, str]]] = {}
        for service in options:
            groups.setdefault(str(Service.Category(service.category).label), []).append((service.code, service.name))
        field: Any = self.fields["service"]
        field.choices = [("", _("— choose —")), *groups.items()]
        field = self.fields["delivered_by"]
        field.choices = [(str(u.pk), u.display_name) for u in team]
        field = self.fields["place_region"]
        field.choices = regency_choices()

    @staticmethod
    def initial_for(delivery: ServiceDelivery, time_zone: str) -> dict[str, Any]:
        return {
            "service": delivery.service.code if delivery.service else "",
            "goal": str(delivery.goal_id or ""),
            "delivered_on": delivery.delivered_on,
            "delivered_time": delivery_local_time(delivery, ZoneInfo(time_zone)),
            "delivered_by": str(delivery.delivered_by_id),
            "place": delivery.place,
            "place_region": delivery.place_region_id or "",
            "duration_minutes": delivery.duration_minutes,
            "cost": delivery.cost,
            "outcome_note": delivery.outcome_note,
            "version": delivery.version,
        }

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        d["delivered_by"] = int(d["delivered_by"]) if d.get("delivered_by") else None
        d["goal"] = int(d["goal"]) if d.get("goal") else None
        return d


class ApplicationForm(forms.Form):
    applied_on = forms.DateField(label=_("Date of application"), widget=DateInput())
    applicant_kind = forms.ChoiceField(label=_("Applicant"), choices=ServiceApplication.Applicant.choices,
                                       widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=500,
                           help_text=_("Optional: which services were asked for."))


class OrganisationServicesForm(VersionedForm):
    services = forms.MultipleChoiceField(label=_("Services your organisation provides"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, catalogue: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for service in catalogue:
            label = f"{service.name} ({service.legal_source})" if service.legal_source else service.name
            groups.setdefault(str(Service.Category(service.category).label), []).append((service.code, label))
        field: Any = self.fields["services"]
        field.choices = list(groups.items())


class WorkQueueScopeForm(forms.Form):
    SCOPES = [("mine", _("My cases")), ("organisation", _("Whole organisation"))]
    scope = forms.ChoiceField(label=_("Show"), choices=SCOPES, required=False)
