"""Forms of the livelihood pages. They parse input; the rules live in livelihood.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from core.concurrency import VersionedForm

from . import conf, skills
from .models import (
    Accommodation,
    Constraint,
    ContractType,
    DebtChange,
    Education,
    IncomeSource,
    Literacy,
    OpportunityKind,
    OpportunityStatus,
    Sector,
    SkillLevel,
    SupportType,
)
from .services import ProfileInput, SkillInput, WorkInput


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class RegionField(forms.CharField):
    """A kabupaten/kota code ("53.71"); the service checks that it names one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", _("Kemendagri code of the regency or city, e.g. 53.71 for Kota Kupang."))
        super().__init__(**kwargs)


class ProfileForm(VersionedForm):
    education = forms.ChoiceField(label=_("Education"), choices=_blank(Education.choices), required=False)
    literacy = forms.ChoiceField(label=_("Literacy"), choices=_blank(Literacy.choices), required=False)
    languages = forms.CharField(label=_("Languages"), max_length=300, required=False)
    certificates = forms.CharField(label=_("Certificates"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    interests_text = forms.CharField(label=_("Interests, in the survivor's own words"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    interest_sectors = forms.MultipleChoiceField(label=_("Sectors of interest"), choices=Sector.choices,
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    constraints = forms.MultipleChoiceField(label=_("Constraints"), choices=Constraint.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    constraint_notes = forms.CharField(label=_("About the constraints"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    income_sources = forms.MultipleChoiceField(label=_("Income now"), choices=IncomeSource.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    debt_amount = forms.IntegerField(label=_("Debts (rupiah)"), required=False, initial=0)
    debt_to_recruiter = forms.BooleanField(label=_("Some of the debt is owed to a recruiter or agent"),
                                           required=False)
    preferred_region = RegionField(label=_("Where the survivor wants to live and work"), required=False)

    def to_input(self, work: list[WorkInput], held: list[SkillInput]) -> ProfileInput:
        d = self.cleaned_data
        return ProfileInput(
            education=d["education"], literacy=d["literacy"], languages=d["languages"],
            certificates=d["certificates"], interests_text=d["interests_text"],
            interest_sectors=list(d["interest_sectors"]), constraints=list(d["constraints"]),
            constraint_notes=d["constraint_notes"], income_sources=list(d["income_sources"]),
            debt_amount=d["debt_amount"] or 0, debt_to_recruiter=d["debt_to_recruiter"],
            preferred_region=d["preferred_region"], work_history=work, skills=held,
        )


class WorkForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=_blank(Sector.choices), required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    employer_name = forms.CharField(label=_("Employer or recruiter"), max_length=200, required=False)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    months = forms.IntegerField(label=_("Months"), min_value=0, required=False)
    was_exploitative = forms.BooleanField(label=_("The exploitative job"), required=False)

    def to_input(self) -> WorkInput | None:
        d = self.cleaned_data
        if not d.get("role") and not d.get("sector"):
            return None
        return WorkInput(sector=d["sector"], role=d["role"], employer_name=d["employer_name"],
                         country=(d["country"] or "").upper(), months=d["months"] or 0,
                         was_exploitative=d["was_exploitative"])


class SkillForm(forms.Form):
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    self_level = forms.TypedChoiceField(label=_("Level (the survivor's own view)"), choices=SkillLevel.choices,
                                        coerce=int, required=False, empty_value=None)
    assessed_level = forms.TypedChoiceField(label=_("Level (assessed)"), choices=_blank(SkillLevel.choices),
                                            coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = _blank(skills.choices())  # type: ignore[attr-defined]

    def to_input(self) -> SkillInput | None:
        d = self.cleaned_data
        if not d.get("skill"):
            return None
        return SkillInput(skill=d["skill"], self_level=d["self_level"] if d["self_level"] is not None else 1,
                          assessed_level=d["assessed_level"])


WorkFormSet = forms.formset_factory(WorkForm, extra=1)
SkillFormSet = forms.formset_factory(SkillForm, extra=2)


class OpportunityForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OpportunityKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=OpportunityStatus.choices, initial=OpportunityStatus.DRAFT)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sector = forms.ChoiceField(label=_("Sector"), choices=_blank(Sector.choices))
    skills = forms.MultipleChoiceField(label=_("Skills taught or required"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    region = RegionField(label=_("Regency or city"), required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    start_date = forms.DateField(label=_("Starts"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("Ends"), required=False, widget=DateInput())
    hours_per_week = forms.IntegerField(label=_("Hours a week"), required=False)
    places_free = forms.IntegerField(label=_("Places free"), initial=0)
    min_age = forms.IntegerField(label=_("Minimum age"), initial=18)
    women_only = forms.BooleanField(label=_("For women only"), required=False)
    childcare_available = forms.BooleanField(label=_("Childcare available"), required=False)
    flexible_schedule = forms.BooleanField(label=_("Flexible schedule"), required=False)
    documents_required = forms.BooleanField(label=_("Identity documents required"), required=False, initial=True)
    certification = forms.CharField(label=_("Certificate"), max_length=200, required=False)
    cost = forms.IntegerField(label=_("Cost to the participant (rupiah)"), initial=0, required=False)
    stipend = forms.IntegerField(label=_("Stipend (rupiah)"), initial=0, required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    monthly_wage = forms.IntegerField(label=_("Monthly wage (rupiah)"), required=False)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=_blank(ContractType.choices), required=False)
    bpjs_registered = forms.BooleanField(label=_("Registered in BPJS Ketenagakerjaan"), required=False)
    accommodation = forms.ChoiceField(label=_("Accommodation"), choices=Accommodation.choices,
                                      initial=Accommodation.NONE)
    abroad = forms.BooleanField(label=_("Work abroad"), required=False)
    destination_country = forms.CharField(label=_("Country of work (ISO code)"), max_length=2, required=False)
    p3mi_licence = forms.CharField(label=_("Licence of the placement company (P3MI)"), max_length=100,
                                   required=False)
    worker_fee = forms.IntegerField(label=_("Fee charged to the worker (rupiah)"), initial=0, required=False)
    retains_documents = forms.BooleanField(label=_("Employer keeps identity documents"), required=False)
    support_type = forms.ChoiceField(label=_("Support"), choices=_blank(SupportType.choices), required=False)
    amount_max = forms.IntegerField(label=_("Largest amount (rupiah)"), initial=0, required=False)
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = skills.choices()  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(opportunity: Any) -> dict[str, Any]:
        names = [n for n in OpportunityForm.base_fields if n != "version"]
        initial = {n: getattr(opportunity, n) for n in names if n != "region"}
        initial["region"] = opportunity.region_id or ""
        initial["version"] = opportunity.version
        return initial

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        for name in ("cost", "stipend", "worker_fee", "amount_max"):
            d[name] = d.get(name) or 0
        d["destination_country"] = (d.get("destination_country") or "").upper()
        return d


class ChoiceForm(forms.Form):
    opportunity = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("In the survivor's words"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    check_id = forms.CharField(required=False, widget=forms.HiddenInput)


class EnrolmentForm(forms.Form):
    opportunity = forms.ChoiceField(label=_("Training programme"))
    enrolled_on = forms.DateField(label=_("Enrolled"), widget=DateInput())
    goal = forms.ChoiceField(label=_("Plan goal"), required=False)
    direct = forms.BooleanField(
        label=_("The survivor enrolled directly with the provider, without a referral"), required=False,
        help_text=_("Another organisation's programme needs a referral that it accepted, or the survivor's consent "
                    "naming it: the consent in force is used."))

    def __init__(self, *args: Any, trainings: list[Any], goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].choices = _blank(  # type: ignore[attr-defined]
            [(str(o.pk), f"{o.title} · {o.organisation.name}") for o in trainings])
        self.fields["goal"].choices = _blank([(str(g.pk), g.description) for g in goals])  # type: ignore[attr-defined]


class CompletionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Result"), choices=[("completed", _("completed")),
                                                             ("dropped", _("dropped out"))],
                                widget=forms.RadioSelect, initial="completed")
    completed_on = forms.DateField(label=_("Date"), widget=DateInput())
    certificate = forms.CharField(label=_("Certificate"), max_length=200, required=False)


class PlacementForm(forms.Form):
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=_blank(Sector.choices))
    region = RegionField(label=_("Regency or city"))
    started_on = forms.DateField(label=_("Started"), widget=DateInput())
    monthly_wage = forms.IntegerField(label=_("Monthly wage (rupiah)"))
    hours_per_week = forms.IntegerField(label=_("Hours a week"))
    contract_type = forms.ChoiceField(label=_("Contract"), choices=_blank(ContractType.choices))
    bpjs_registered = forms.BooleanField(label=_("Registered in BPJS Ketenagakerjaan"), required=False)
    worker_fee = forms.IntegerField(label=_("Fee charged to the worker (rupiah)"), initial=0, required=False)
    retains_documents = forms.BooleanField(label=_("Employer keeps identity documents"), required=False)
    accommodation = forms.ChoiceField(label=_("Accommodation"), choices=Accommodation.choices,
                                      initial=Accommodation.NONE)
    opportunity = forms.ChoiceField(label=_("Vacancy"), required=False)
    goal = forms.ChoiceField(label=_("Plan goal"), required=False)
    check_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, vacancies: list[Any], goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].choices = _blank(  # type: ignore[attr-defined]
            [(str(o.pk), f"{o.title} · {o.employer_name or o.organisation.name}") for o in vacancies])
        self.fields["goal"].choices = _blank([(str(g.pk), g.description) for g in goals])  # type: ignore[attr-defined]


class EnterpriseForm(forms.Form):
    business_type = forms.CharField(label=_("Business"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=_blank(Sector.choices))
    plan = forms.CharField(label=_("Business plan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    support = forms.ChoiceField(label=_("Enterprise support"), required=False)
    support_amount = forms.IntegerField(label=_("Support received (rupiah)"), initial=0, required=False)
    started_on = forms.DateField(label=_("Started"), widget=DateInput())
    first_sales_on = forms.DateField(label=_("First sales"), required=False, widget=DateInput())
    goal = forms.ChoiceField(label=_("Plan goal"), required=False)

    def __init__(self, *args: Any, supports: list[Any], goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support"].choices = _blank(  # type: ignore[attr-defined]
            [(str(o.pk), f"{o.title} · {o.organisation.name}") for o in supports])
        self.fields["goal"].choices = _blank([(str(g.pk), g.description) for g in goals])  # type: ignore[attr-defined]


class IncomeForm(forms.Form):
    months_after = forms.TypedChoiceField(label=_("Follow-up visit"), coerce=int)
    recorded_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    working = forms.BooleanField(label=_("Working or running a business"), required=False)
    decent_work = forms.BooleanField(label=_("In decent work (the check's markers hold)"), required=False)
    monthly_income = forms.IntegerField(label=_("Monthly income (rupiah)"), initial=0)
    debt_change = forms.ChoiceField(label=_("Debts since the last visit"), choices=DebtChange.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["months_after"].choices = [  # type: ignore[attr-defined]
            (m, _("%(months)s months") % {"months": m}) for m in conf.follow_up_months()]


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the override"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DemandImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    source = forms.CharField(label=_("Source"), max_length=300)
    source_date = forms.DateField(label=_("Date of the source"), widget=DateInput())


class OpportunityFilterForm(forms.Form):
    SORTS = [("-created", _("newest first")), ("start", _("starting soonest")), ("title", _("title"))]
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(OpportunityKind.choices), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)
