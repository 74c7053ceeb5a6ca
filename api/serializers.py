"""What the API shows and accepts.

Reading: the case file and the pseudonymous survivor never carry identity fields (names, NIK,
birth date, phones, address, photo); only ``IdentitySerializer`` does, behind its own endpoint.
Writing: these serializers only check types and shapes; every rule lives in the service
functions, which the pages call too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import ALLOWED_TRANSITIONS, CLOSURE_STATUSES, Case, CaseStatus
from core import choices
from survivors.models import ConsentRecord, Guardian, Identity, Survivor
from survivors.services import consent_is_active

from .concurrency import version_input

REGION_CODE_MAX = 8


def _country(value: str) -> str:
    code = (value or "").strip().upper()
    if code and code not in countries:
        raise serializers.ValidationError(_("Unknown country code: %(code)s.") % {"code": code})
    return code


class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 country code (``ID``, ``MY``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, "code", value) or "")


class RegionCodeField(serializers.CharField):
    """A Kemendagri region code (``53``, ``53.71``, ``53.71.01``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", REGION_CODE_MAX)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, "code", value))


class BlankChoicesKept(serializers.ModelSerializer[Any]):
    """A model serializer whose read-only choice fields keep the model field's blank value.

    DRF drops ``allow_blank`` from read-only fields, so the schema's enum would leave out the
    ``""`` these fields do hold while nothing was chosen; a client validating the response against
    the schema would then reject a real case file. Mix it in before ``ModelSerializer``.
    """

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        model: Any = self.Meta.model
        meta = model._meta
        for name, field in fields.items():
            if not isinstance(field, serializers.ChoiceField) or not field.read_only or field.allow_blank:
                continue
            try:
                model_field = meta.get_field(field.source or name)
            except FieldDoesNotExist:
                continue
            if model_field.blank and isinstance(model_field, models.CharField):
                field.allow_blank = True
        return fields


def _choice_list(choice_class: Any, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choice_class.choices), **kwargs)


# --- survivors (pseudonymous) -------------------------------------------------------------------


class SurvivorSummarySerializer(serializers.ModelSerializer[Survivor]):
    """The pseudonymous survivor: a code and attributes that identify no one on their own."""

    origin_province = RegionCodeField(source="origin_province_id", read_only=True, allow_null=True)
    origin_regency = RegionCodeField(source="origin_regency_id", read_only=True, allow_null=True)
    nationality = CountryCodeField(read_only=True)

    class Meta:
        model = Survivor
        fields = [
            "id", "code", "sex", "age_band", "is_child_at_identification", "is_child_at_exploitation",
            "origin_province", "origin_regency", "nationality",
        ]
        read_only_fields = fields


class SurvivorSerializer(SurvivorSummarySerializer):
    """The pseudonymous survivor with the ids of their cases that the user may see."""

    case_ids = serializers.SerializerMethodField()

    class Meta(SurvivorSummarySerializer.Meta):
        fields = [*SurvivorSummarySerializer.Meta.fields, "case_ids"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_case_ids(self, obj: Survivor) -> list[str]:
        cases = getattr(obj, "visible_cases", None)
        if cases is None:
            return []
        return [str(case.pk) for case in cases]


# --- cases ----------------------------------------------------------------------------------------


class CaseSerializer(BlankChoicesKept, serializers.ModelSerializer[Case]):
    """A case file: status, team, intake. The survivor appears only by code and pseudonymous attributes."""

    survivor = SurvivorSummarySerializer(read_only=True)
    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True)
    team_member_ids = serializers.SerializerMethodField()
    identification_region = RegionCodeField(source="identification_region_id", read_only=True, allow_null=True)
    recruitment_region = RegionCodeField(source="recruitment_region_id", read_only=True, allow_null=True)
    exploitation_region = RegionCodeField(source="exploitation_region_id", read_only=True, allow_null=True)
    identification_country = CountryCodeField(read_only=True)
    recruitment_country = CountryCodeField(read_only=True)
    exploitation_country = CountryCodeField(read_only=True)
    transit_countries = serializers.ListField(child=CountryCodeField(), read_only=True)
    tppo_process = _choice_list(choices.TppoProcess, read_only=True)
    tppo_means = _choice_list(choices.TppoMeans, read_only=True)
    tppo_purpose = _choice_list(choices.TppoPurpose, read_only=True)
    ilo_indicators = _choice_list(choices.IloIndicator, read_only=True)
    exploitation_types = _choice_list(choices.ExploitationType, read_only=True)
    urgent_needs = _choice_list(choices.UrgentNeed, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "survivor", "status", "lead_organisation", "lead_organisation_name", "lead_caseworker",
            "team_member_ids", "opened_at", "updated_at", "closed_at",
            "identified_on", "channel", "identification_region", "identification_country",
            "tppo_process", "tppo_means", "tppo_purpose", "ilo_indicators", "exploitation_types",
            "forced_labour_industry", "recruitment_method", "recruiter_relation",
            "recruitment_country", "recruitment_region", "transit_countries",
            "exploitation_country", "exploitation_region", "exploitation_started_on", "exploitation_ended_on",
            "trafficking_status", "status_decided_by", "modus", "urgent_needs", "intake_notes", "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_team_member_ids(self, obj: Case) -> list[int]:
        # team_members is prefetched by the views; .all() then costs no query.
        ids = {member.user_id for member in obj.team_members.all()}
        ids.add(obj.lead_caseworker_id)
        return sorted(ids)


class CaseIntakeSerializer(serializers.Serializer[Any]):
    """Intake fields (``cases.services.INTAKE_FIELDS``); a PATCH changes only the fields it sends."""

    version = version_input()

    identified_on = serializers.DateField(allow_null=True)
    channel = serializers.ChoiceField(choices=choices.Channel.choices)
    identification_region = RegionCodeField(allow_blank=True, allow_null=True)
    identification_country = CountryCodeField(allow_blank=True)
    tppo_process = _choice_list(choices.TppoProcess)
    tppo_means = _choice_list(choices.TppoMeans)
    tppo_purpose = _choice_list(choices.TppoPurpose)
    ilo_indicators = _choice_list(choices.IloIndicator)
    exploitation_types = _choice_list(choices.ExploitationType)
    forced_labour_industry = serializers.ChoiceField(choices=choices.ForcedLabourIndustry.choices, allow_blank=True)
    recruitment_method = serializers.ChoiceField(choices=choices.RecruitmentMethod.choices, allow_blank=True)
    recruiter_relation = serializers.ChoiceField(choices=choices.RecruiterRelation.choices, allow_blank=True)
    recruitment_country = CountryCodeField(allow_blank=True)
    recruitment_region = RegionCodeField(allow_blank=True, allow_null=True)
    transit_countries = serializers.ListField(child=CountryCodeField())
    exploitation_country = CountryCodeField(allow_blank=True)
    exploitation_region = RegionCodeField(allow_blank=True, allow_null=True)
    exploitation_started_on = serializers.DateField(allow_null=True)
    exploitation_ended_on = serializers.DateField(allow_null=True)
    trafficking_status = serializers.ChoiceField(choices=choices.TraffickingStatus.choices)
    status_decided_by = serializers.ChoiceField(choices=choices.StatusDecidedBy.choices, allow_blank=True)
    modus = serializers.ChoiceField(choices=choices.Modus.choices, allow_blank=True)
    urgent_needs = _choice_list(choices.UrgentNeed)
    intake_notes = serializers.CharField(allow_blank=True, trim_whitespace=False)


# Statuses a case can move to here (no transition leads back to intake; closing and reopening
# have their own endpoints, which record the closure reason and the follow-up schedule).
TARGET_STATUS_CHOICES = [
    (value, label) for value, label in CaseStatus.choices
    if any(value in targets for targets in ALLOWED_TRANSITIONS.values()) and value not in CLOSURE_STATUSES
]


class CaseTransitionSerializer(serializers.Serializer[Any]):
    """Which moves are allowed from the current status is the workflow's rule (``cases.models``)."""

    to_status = serializers.ChoiceField(choices=TARGET_STATUS_CHOICES)
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class GuardianInputSerializer(serializers.Serializer[Any]):
    full_name = serializers.CharField(allow_blank=True, max_length=300)
    relationship = serializers.ChoiceField(choices=Guardian.Relationship.choices)
    phone = serializers.CharField(allow_blank=True, required=False, default="", max_length=100)
    is_suspect = serializers.BooleanField(required=False, default=False)


class RegistrationSerializer(serializers.Serializer[Any]):
    """Register a survivor and open their case (``survivors.services.survivor_register``)."""

    full_name = serializers.CharField(allow_blank=True, max_length=300)
    sex = serializers.ChoiceField(choices=choices.Sex.choices)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    age_band = serializers.ChoiceField(choices=choices.AgeBand.choices, required=False, allow_blank=True, default="")
    nik = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    aliases = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    phone_numbers = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    origin_province = RegionCodeField(required=False, allow_blank=True, default="")
    origin_regency = RegionCodeField(required=False, allow_blank=True, default="")
    nationality = CountryCodeField(required=False, default="ID")
    identified_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=choices.Channel.choices)
    identification_region = RegionCodeField(required=False, allow_blank=True, default="")
    guardian = GuardianInputSerializer(required=False, allow_null=True, default=None)
    guardian_override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    lead_caseworker = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="User id of the lead caseworker; defaults to the caller (required when the caller is not a caseworker).",
    )

    def validate_nationality(self, value: str) -> str:
        code = _country(value)
        if not code:
            raise serializers.ValidationError(_("This field is required."))
        return code


class GuardianSerializer(serializers.ModelSerializer[Guardian]):
    class Meta:
        model = Guardian
        fields = ["id", "full_name", "relationship", "phone", "is_suspect", "created_at"]
        read_only_fields = fields


class IdentitySerializer(serializers.ModelSerializer[Identity]):
    """The identity vault of one survivor. Never the photo bytes: only whether there is one."""

    survivor_id = serializers.UUIDField(source="survivor.pk", read_only=True)
    birth_date = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()
    guardians = serializers.SerializerMethodField()

    class Meta:
        model = Identity
        fields = [
            "survivor_id", "full_name", "aliases", "nik", "birth_date", "phone_numbers", "address",
            "has_photo", "photo_content_type", "guardians", "updated_at", "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_birth_date(self, obj: Identity) -> str | None:
        return obj.birth_date or None

    def get_has_photo(self, obj: Identity) -> bool:
        # The views annotate ``photo_present`` and defer the photo, so no image is read or decrypted.
        present = getattr(obj, "photo_present", None)
        if present is None:
            present = obj.photo is not None
        return bool(present)

    @extend_schema_field(GuardianSerializer(many=True))
    def get_guardians(self, obj: Identity) -> list[dict[str, Any]]:
        guardians = Guardian.objects.filter(survivor_id=obj.survivor_id).order_by("created_at")
        return list(GuardianSerializer(guardians, many=True).data)


class IdentityUpdateSerializer(serializers.Serializer[Any]):
    """Identity fields; a PATCH changes only the fields it sends (the photo is managed on the pages)."""

    version = version_input()

    full_name = serializers.CharField(allow_blank=True, max_length=300)
    aliases = serializers.CharField(allow_blank=True, max_length=1000)
    nik = serializers.CharField(allow_blank=True, max_length=40)
    birth_date = serializers.DateField(allow_null=True)
    phone_numbers = serializers.CharField(allow_blank=True, max_length=1000)
    address = serializers.CharField(allow_blank=True, max_length=2000)
    remove_photo = serializers.BooleanField(default=False)


# --- consent ------------------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer[ConsentRecord]):
    """One version of a consent or lawful-basis record; ``active`` says whether it holds today."""

    recipient_organisation_name = serializers.CharField(
        source="recipient_organisation.name", read_only=True, allow_null=True, default=None
    )
    active = serializers.SerializerMethodField()

    class Meta:
        model = ConsentRecord
        fields = [
            "id", "purpose", "recipient_organisation", "recipient_organisation_name", "scope", "lawful_basis",
            "given_by", "guardian", "basis_reason", "given_on", "expires_on", "withdrawn_at", "withdrawal_reason",
            "version", "supersedes", "recorded_by", "recorded_at", "active",
        ]
        read_only_fields = fields

    def get_active(self, obj: ConsentRecord) -> bool:
        today: dt.date = self.context.get("today") or timezone.localdate()
        return consent_is_active(obj, on=today)


class ConsentCreateSerializer(serializers.Serializer[Any]):
    """A new consent or lawful basis (``survivors.services.consent_record``). With ``supersedes``,
    a new version of the latest record for the same survivor."""

    purpose = serializers.ChoiceField(choices=ConsentRecord.Purpose.choices)
    lawful_basis = serializers.ChoiceField(choices=ConsentRecord.LawfulBasis.choices)
    given_by = serializers.ChoiceField(choices=ConsentRecord.GivenBy.choices)
    given_on = serializers.DateField()
    scope = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    recipient_organisation = serializers.IntegerField(required=False, allow_null=True, default=None)
    guardian = serializers.UUIDField(required=False, allow_null=True, default=None)
    basis_reason = serializers.CharField(required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    supersedes = serializers.UUIDField(required=False, allow_null=True, default=None)


class ConsentWithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)
