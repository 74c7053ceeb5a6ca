"""Every write to the partner directory. Validates all input first, then writes in one
transaction with its change history.

Who edits a profile: the organisation's own administrators and supervisors (their own
organisation only). The services list is care's (``care.services.organisation_services_set``),
which only an organisation administrator may change; a supervisor edits the rest of the profile.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from access import care as care_access
from access import partners as partner_access
from accounts.models import Organisation
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from care.services import organisation_services_set, services_provided_by
from core.concurrency import version_bump, version_check
from core.models import Region
from core.validation import Errors

from .models import PartnerProfile, PartnerRegion

BOOL_FIELDS = ("is_listed", "accepting_referrals", "national", "serves_children", "serves_women", "serves_men",
               "serves_foreign_nationals")
COUNT_FIELDS = ("shelter_beds_total", "shelter_beds_available", "training_places_total", "training_places_available")
TEXT_FIELDS = {"description": 2000, "contact_name": 200, "contact_email": 254, "contact_phone": 40,
               "contact_hours": 200}
PROFILE_FIELDS = (*BOOL_FIELDS, *COUNT_FIELDS, *TEXT_FIELDS, "languages", "regions", "services")
MAX_LANGUAGES = 20
MAX_REGIONS = 200


def _profile_version_check(profile: PartnerProfile, version: int | None, clean: dict[str, Any],
                           regions: list[Any] | None, services: list[str] | None) -> None:
    submitted: dict[str, Any] = dict(clean)
    current: dict[str, Any] = {name: getattr(profile, name) for name in clean}
    if regions is not None:
        submitted["regions"] = sorted(r.code for r in regions)
        current["regions"] = [] if profile._state.adding else sorted(profile.regions.values_list("region_id", flat=True))
    if services is not None:
        submitted["services"] = sorted(services)
        current["services"] = sorted(s.code for s in services_provided_by(profile.organisation_id))
    version_check(profile, version, submitted=submitted, current=current, current_version=profile_version(profile))


def profile_for(organisation: Organisation) -> PartnerProfile:
    """The organisation's profile, or an unsaved one with the defaults."""
    found = PartnerProfile.objects.filter(organisation=organisation).first()
    return found if found is not None else PartnerProfile(organisation=organisation)


def _clean(e: Errors, values: dict[str, Any], actor: Any) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            e.add(name, _("This field cannot be changed here."))
        elif name in BOOL_FIELDS:
            clean[name] = bool(value)
        elif name in COUNT_FIELDS:
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                e.add(name, _("Enter a whole number."))
                continue
            if number < 0:
                e.add(name, _("The number cannot be negative."))
            elif number > 100000:
                e.add(name, _("The number is too large."))
            clean[name] = number
        elif name in TEXT_FIELDS:
            text = (value or "").strip()
            if len(text) > TEXT_FIELDS[name]:
                e.add(name, _("At most %(n)s characters.") % {"n": TEXT_FIELDS[name]})
            if name == "contact_email" and text:
                try:
                    validate_email(text)
                except ValidationError:
                    e.add(name, _("Enter a valid email address."))
            clean[name] = text
        elif name == "languages":
            items = value.split(",") if isinstance(value, str) else list(value or [])
            langs = list(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))
            if len(langs) > MAX_LANGUAGES or any(len(v) > 60 for v in langs):
                e.add(name, _("At most %(n)s languages of 60 characters each.") % {"n": MAX_LANGUAGES})
            clean[name] = langs
        elif name == "regions":
            codes = list(dict.fromkeys(str(getattr(v, "code", v)).strip() for v in (value or []) if v))
            found = {r.code: r for r in Region.objects.filter(
                code__in=codes, level__in=[Region.Level.PROVINCE, Region.Level.REGENCY])}
            unknown = [c for c in codes if c not in found]
            if unknown:
                e.add(name, _("Unknown region code: %(code)s.") % {"code": ", ".join(unknown)})
            if len(codes) > MAX_REGIONS:
                e.add(name, _("At most %(n)s regions; cover a whole province instead.") % {"n": MAX_REGIONS})
            clean[name] = [found[c] for c in codes if c in found]
        else:  # services
            wanted = sorted(dict.fromkeys(str(getattr(v, "code", v)) for v in (value or [])))
            clean[name] = wanted
    for total, free in (("shelter_beds_total", "shelter_beds_available"),
                        ("training_places_total", "training_places_available")):
        if clean.get(free) is not None and clean.get(total) is not None and clean[free] > clean[total]:
            e.add(free, _("More free than in total."))
    return clean


def profile_version(profile: PartnerProfile) -> int:
    """The version a form or API client carries: 0 while the organisation has no profile yet."""
    return 0 if profile._state.adding else profile.version


def profile_save(*, actor: Any, values: dict[str, Any], version: int | None = None) -> PartnerProfile:
    """Create or change the actor's own organisation's profile; only keys present change.

    ``version``: the profile's version the change is based on (``profile_version``); raises
    ``StaleVersion`` (nothing written) when someone saved the profile since (``core.concurrency``).

    ``services`` (a list of service codes) goes to care's list of services provided, which only an
    organisation administrator may change; ``regions`` replaces the list of regions served.
    """
    if not partner_access.may_edit_profile(actor):
        raise ValidationError(_("Only the organisation's administrators and supervisors can change its profile."))
    e = Errors()
    clean = _clean(e, values, actor)
    services = clean.pop("services", None)
    if services is not None and not care_access.may_manage_services(actor):
        current = sorted(s.code for s in services_provided_by(actor.organisation_id))
        if current != services:
            e.add("services", _("Only an organisation administrator can change the services it provides."))
        services = None
    e.raise_if_any()
    regions = clean.pop("regions", None)
    with transaction.atomic():
        profile = PartnerProfile.objects.select_for_update().filter(organisation_id=actor.organisation_id).first()
        before = snapshot(profile) if profile is not None else None
        if profile is None:
            profile = PartnerProfile(organisation_id=actor.organisation_id)
        _profile_version_check(profile, version, clean, regions, services)
        for name, value in clean.items():
            setattr(profile, name, value)
        profile.updated_by = actor
        if before is not None:
            version_bump(profile)
        profile.save()
        if regions is not None:
            old = set(profile.regions.values_list("region_id", flat=True))
            new = {r.code for r in regions}
            if old != new:
                profile.regions.exclude(region_id__in=new).delete()
                PartnerRegion.objects.bulk_create([PartnerRegion(profile=profile, region_id=c) for c in new - old])
        history_record(actor=actor, instance=profile,
                       action=ChangeRecord.Action.CREATE if before is None else ChangeRecord.Action.UPDATE,
                       before=before)
        if services is not None:
            organisation_services_set(actor=actor, service_codes=services)
    return profile
