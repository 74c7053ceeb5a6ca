"""Forms for the case pages. They parse input; the rules live in the service functions, whose
ValidationErrors are put back on the form fields (``apply_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import choices
from core.concurrency import VersionedForm
from core.models import Region
from survivors.models import ConsentRecord, Guardian

from .models import ALLOWED_TRANSITIONS, CLOSURE_STATUSES, CaseStatus
from .services import INTAKE_FIELDS, REGION_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def region_choices(*, blank: str) -> list[tuple[Any, Any]]:
    """Provinces with their kabupaten/kota, grouped for a select (552 options, no kecamatan)."""
    rows = list(Region.objects.filter(level__in=[1, 2]).order_by("code").values_list("code", "name", "level"))
    groups: list[tuple[Any, Any]] = [("", blank)]
    current: list[tuple[str, str]] = []
    label = ""
    for code, name, level in rows:
        if level == 1:
            if current:
                groups.append((label, current))
            label = name
            current = [(code, f"{name} ({_('whole province')})")]
        else:
            current.append((code, name))
    if current:
        groups.append((label, current))
    return groups


def province_choices() -> list[tuple[str, str]]:
    return [("", "—"), *Region.objects.filter(level=1).order_by("name").values_list("code", "name")]


def regency_choices() -> list[tuple[Any, Any]]:
    groups = region_choices(blank="—")
    return [("", "—")] + [(label, [c for c in opts if len(c[0]) == 5]) for label, opts in groups[1:]]


def country_choices(blank: bool = True) -> list[tuple[str, str]]:
    items = [(code, str(name)) for code, name in countries]
    return ([("", "—")] if blank else []) + items


def set_choices(field: forms.Field, choices: Any) -> None:
    field.choices = choices  # type: ignore[attr-defined]


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the matching fields (or at the top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class CaseloadFilterForm(forms.Form):
    SORTS = [
        ("-opened", _("newest first")),
        ("opened", _("oldest first")),
        ("-identified", _("identified, newest first")),
        ("status", _("status")),
        ("code", _("survivor code")),
    ]
    q = forms.CharField(label=_("Survivor code or NIK"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "inputmode": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), ("open", _("all open")),
                                                                            *CaseStatus.choices])
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)


class RegistrationForm(forms.Form):
    # Identity (encrypted in the vault)
    full_name = forms.CharField(label=_("Full name"), max_length=200,
                                help_text=_("The name the survivor uses. Stored encrypted; only the case team sees it."))
    aliases = forms.CharField(label=_("Other names or aliases"), max_length=300, required=False)
    nik = forms.CharField(label=_("NIK"), max_length=24, required=False,
                          help_text=_("16 digits, if the survivor has one. Leave empty for foreign nationals or undocumented children."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    sex = forms.ChoiceField(label=_("Sex"), choices=choices.Sex.choices)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    age_band = forms.ChoiceField(label=_("Age band (if the date of birth is not known)"), required=False,
                                 choices=[("", "—"), *choices.AgeBand.choices])
    phone_numbers = forms.CharField(label=_("Phone numbers"), max_length=200, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("Photo"), required=False,
                            help_text=_("JPEG, PNG or WebP, at most 2 MB. Only with the survivor's consent."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    # Pseudonymous attributes
    origin_province = forms.ChoiceField(label=_("Province of origin"), required=False)
    origin_regency = forms.ChoiceField(label=_("Regency/city of origin"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), initial="ID")
    # Identification
    identified_on = forms.DateField(label=_("Date of identification"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *choices.Channel.choices])
    identification_region = forms.ChoiceField(label=_("Place of identification"), required=False)
    # Guardian (children)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False,
                                    help_text=_("Required for a child, unless no guardian can act (give the reason below)."))
    guardian_relationship = forms.ChoiceField(label=_("Guardian's relationship"), required=False,
                                              choices=[("", "—"), *Guardian.Relationship.choices])
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=60, required=False)
    guardian_is_suspect = forms.BooleanField(label=_("The guardian is suspected of involvement"), required=False)
    guardian_override_reason = forms.CharField(
        label=_("Why no guardian can act"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the parents are suspects, or cannot be found. This is recorded."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["origin_province"], province_choices())
        set_choices(self.fields["origin_regency"], regency_choices())
        set_choices(self.fields["nationality"], country_choices(blank=False))
        set_choices(self.fields["identification_region"], region_choices(blank="—"))


class IntakeForm(VersionedForm):
    identified_on = forms.DateField(label=_("Date of identification"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=choices.Channel.choices)
    identification_region = forms.ChoiceField(label=_("Place of identification"), required=False)
    tppo_process = forms.MultipleChoiceField(label=_("Process (UU 21/2007)"), required=False,
                                             choices=choices.TppoProcess.choices, widget=forms.CheckboxSelectMultiple)
    tppo_means = forms.MultipleChoiceField(
        label=_("Means (not required for a child)"), required=False, choices=choices.TppoMeans.choices,
        widget=forms.CheckboxSelectMultiple)
    tppo_purpose = forms.MultipleChoiceField(label=_("Purpose: exploitation"), required=False,
                                             choices=choices.TppoPurpose.choices, widget=forms.CheckboxSelectMultiple)
    ilo_indicators = forms.MultipleChoiceField(label=_("ILO forced-labour indicators"), required=False,
                                               choices=choices.IloIndicator.choices, widget=forms.CheckboxSelectMultiple)
    exploitation_types = forms.MultipleChoiceField(label=_("Types of exploitation"), required=False,
                                                   choices=choices.ExploitationType.choices,
                                                   widget=forms.CheckboxSelectMultiple)
    forced_labour_industry = forms.ChoiceField(label=_("Forced-labour industry"), required=False,
                                               choices=[("", "—"), *choices.ForcedLabourIndustry.choices])
    modus = forms.ChoiceField(label=_("Modus"), required=False, choices=[("", "—"), *choices.Modus.choices])
    recruitment_method = forms.ChoiceField(label=_("Method of recruitment"), required=False,
                                           choices=[("", "—"), *choices.RecruitmentMethod.choices])
    recruiter_relation = forms.ChoiceField(label=_("Recruiter's relation to the survivor"), required=False,
                                           choices=[("", "—"), *choices.RecruiterRelation.choices])
    recruitment_country = forms.ChoiceField(label=_("Country of recruitment"), required=False)
    recruitment_region = forms.ChoiceField(label=_("Place of recruitment in Indonesia"), required=False)
    transit_countries = forms.MultipleChoiceField(label=_("Transit countries"), required=False,
                                                  widget=forms.SelectMultiple(attrs={"size": 6}))
    exploitation_country = forms.ChoiceField(label=_("Country of exploitation"), required=False)
    exploitation_region = forms.ChoiceField(label=_("Place of exploitation in Indonesia"), required=False)
    exploitation_started_on = forms.DateField(label=_("Exploitation began"), required=False, widget=DateInput())
    exploitation_ended_on = forms.DateField(label=_("Exploitation ended"), required=False, widget=DateInput())
    trafficking_status = forms.ChoiceField(label=_("Trafficking status"), choices=choices.TraffickingStatus.choices)
    status_decided_by = forms.ChoiceField(label=_("Status decided by"), required=False,
                                          choices=[("", "—"), *choices.StatusDecidedBy.choices])
    urgent_needs = forms.MultipleChoiceField(label=_("Urgent needs at intake"), required=False,
                                             choices=choices.UrgentNeed.choices, widget=forms.CheckboxSelectMultiple)
    intake_notes = forms.CharField(label=_("Intake notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=_("Only what the work needs. Do not make the survivor tell their story again."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = region_choices(blank="—")
        for name in ("identification_region", "recruitment_region", "exploitation_region"):
            set_choices(self.fields[name], regions)
        for name in ("recruitment_country", "exploitation_country"):
            set_choices(self.fields[name], country_choices())
        set_choices(self.fields["transit_countries"], country_choices(blank=False))

    @staticmethod
    def initial_for(case: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in INTAKE_FIELDS:
            value = getattr(case, f"{name}_id" if name in REGION_FIELDS else name)
            initial[name] = getattr(value, "code", value)
        initial["version"] = case.version
        return initial


class IdentityForm(VersionedForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    aliases = forms.CharField(label=_("Other names or aliases"), max_length=300, required=False)
    nik = forms.CharField(label=_("NIK"), max_length=24, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    phone_numbers = forms.CharField(label=_("Phone numbers"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("New photo"), required=False,
                            help_text=_("JPEG, PNG or WebP, at most 2 MB."),
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    # Not required here: the service refuses an empty reason with a message that says why.
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             required=False)

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current is not None:
            allowed = [s for s in ALLOWED_TRANSITIONS.get(current, ()) if s not in CLOSURE_STATUSES]
            set_choices(self.fields["to_status"], [(s, CaseStatus(s).label) for s in allowed])


class TeamAddForm(forms.Form):
    user = forms.ChoiceField(label=_("Colleague"))

    def __init__(self, *args: Any, candidates: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["user"], [("", "—")] + [(u.pk, u.display_name) for u in candidates])


class GuardianForm(forms.Form):
    full_name = forms.CharField(label=_("Guardian's name"), max_length=200)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Guardian.Relationship.choices)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
    is_suspect = forms.BooleanField(label=_("The guardian is suspected of involvement"), required=False)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentRecord.Purpose.choices)
    recipient_organisation = forms.ChoiceField(label=_("Recipient organisation"), required=False)
    scope = forms.CharField(label=_("Recipient or scope"), max_length=300, required=False,
                            help_text=_("Who may receive the data, and which data."))
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=ConsentRecord.LawfulBasis.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentRecord.GivenBy.choices)
    guardian = forms.ChoiceField(label=_("Guardian"), required=False)
    basis_reason = forms.CharField(
        label=_("Reason or documentation"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for an override and for any basis other than consent (cite the legal provision)."))
    given_on = forms.DateField(label=_("Date"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, guardians: Any = (), organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["guardian"], [("", "—")] + [
            (str(g.pk), f"{g.full_name} ({g.get_relationship_display()})") for g in guardians
        ])
        set_choices(self.fields["recipient_organisation"], [("", "—")] + [(o.pk, o.name) for o in organisations])


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 2}))
