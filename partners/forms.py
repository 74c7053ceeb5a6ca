"""Forms of the partner directory. They parse input; the rules live in partners.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from care.models import Service
from core.concurrency import VersionedForm
from core.forms import regency_choices
from core.models import Region

from .models import PartnerProfile
from .selectors import AVAILABILITY_CHOICES, ELIGIBILITY_CHOICES


def service_choices() -> list[tuple[str, Any]]:
    services = Service.objects.filter(is_active=True).exclude(category=Service.Category.ACT)
    return [("", _("— any service —")), *((s.code, s.name) for s in services)]


class SearchForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False)
    region = forms.ChoiceField(label=_("Region (nearest first)"), required=False)
    eligible = forms.MultipleChoiceField(label=_("Serves"), required=False, choices=ELIGIBILITY_CHOICES,
                                         widget=forms.CheckboxSelectMultiple)
    availability = forms.MultipleChoiceField(label=_("Available now"), required=False, choices=AVAILABILITY_CHOICES,
                                             widget=forms.CheckboxSelectMultiple)
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = service_choices()  # type: ignore[attr-defined]
        regions = regency_choices()
        regions[0] = ("", _("— anywhere —"))
        self.fields["region"].choices = regions  # type: ignore[attr-defined]


class ProfileForm(VersionedForm, forms.ModelForm):  # type: ignore[type-arg]
    services = forms.MultipleChoiceField(label=_("Services offered"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    regions = forms.MultipleChoiceField(
        label=_("Regions served"), required=False,
        help_text=_("Choose a province to cover all of it, or single regencies and cities."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    languages = forms.CharField(label=_("Languages"), required=False, max_length=1000,
                                help_text=_("Separated by commas, for example: Bahasa Indonesia, Tetun."))

    class Meta:
        model = PartnerProfile
        fields = ["is_listed", "accepting_referrals", "description", "national", "serves_children", "serves_women",
                  "serves_men", "serves_foreign_nationals", "shelter_beds_total", "shelter_beds_available",
                  "training_places_total", "training_places_available", "contact_name", "contact_email",
                  "contact_phone", "contact_hours"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, can_edit_services: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(is_active=True).exclude(category=Service.Category.ACT)
        self.fields["services"].choices = [(s.code, s.name) for s in services]  # type: ignore[attr-defined]
        if not can_edit_services:
            self.fields["services"].disabled = True
            self.fields["services"].help_text = _("Only an organisation administrator can change the services.")
        self.fields["regions"].choices = [  # type: ignore[attr-defined]
            (r.code, f"{r.name} ({r.code})") for r in Region.objects.filter(level__in=[1, 2]).only("code", "name")
        ]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.fields["services"].disabled:
            data.pop("services", None)
        return data
