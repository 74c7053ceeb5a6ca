"""Demo data of the partner directory and referrals (``manage.py seed`` calls ``seed_demo``).

Synthetic only. Adds partner organisations so that every organisation type is in the directory
(the core demo has UPTD PPA, Dinas Sosial, a Kemensos shelter, an NGO, a hospital, the police PPA
unit and LPSK), a profile for every demo organisation, one demo caseworker in each new partner,
and seven referrals from the demo units' open cases (NTT first), one in each state, made through the
referral services (``_referrals``). Idempotent: organisations, users and profiles are found by name;
referrals are made only when the demo units have none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, RoleAssignment, User, time_zone_for_region
from care.models import OrganisationService, Service
from cases.models import Case, CaseStatus
from cases.selectors import service_regions
from demo.clock import clock_at
from demo.staff import DEMO_PASSWORD, PLATFORM_ADMIN_USERNAME, DemoAccount, confirmed_device, totp_secret_b32
from partners.models import PartnerProfile, PartnerRegion
from partners.selectors import serves_region
from referrals import conf
from referrals.models import Referral
from referrals.packet import FIELDS, template_for_service
from referrals.services import (
    ReferralInput,
    referral_accept,
    referral_complete,
    referral_decline,
    referral_revoke,
    referral_send,
    referral_start,
    referrals_escalate,
    referrals_expire,
)
from survivors.models import ConsentRecord
from survivors.services import ConsentInput, consent_record

K = Organisation.Kind

# New partner organisations: (username prefix, name, kind, region, services, profile extras).
PARTNERS: tuple[tuple[str, str, str, str, tuple[str, ...], dict[str, Any]], ...] = (
    ("bp3mi", "BP3MI Nusa Tenggara Timur (fiktif)", K.KP2MI, "53.71",
     ("repatriation", "civil_documents", "transport", "economic_empowerment"), {"serves_foreign_nationals": False}),
    ("kjri", "KJRI Kuching (fiktif)", K.KEMLU, "53.71", ("repatriation", "civil_documents", "legal_support"),
     {"national": True}),
    ("gereja", "Komunitas Peduli GMIT Kupang (fiktif)", K.COMMUNITY, "53.71",
     ("spiritual_guidance", "community_support", "accompaniment"), {}),
    ("desa", "Pemerintah Desa Oelnasi (fiktif)", K.VILLAGE, "53.01",
     ("social_reintegration", "community_support", "periodic_monitoring"), {}),
    ("tenun", "Koperasi Tenun Ikat Sumba (fiktif)", K.EMPLOYER, "53.12",
     ("economic_empowerment",), {"training_places_total": 6, "training_places_available": 2, "serves_men": False}),
    ("blk", "BLK Komunitas Kupang (fiktif)", K.TRAINING, "53.71",
     ("economic_empowerment", "education", "social_empowerment"),
     {"training_places_total": 20, "training_places_available": 5, "serves_children": False}),
    ("klinik", "Klinik Pratama Sehat Kupang (fiktif)", K.HEALTH, "53.71",
     ("medical_care", "health_rehabilitation", "psychological_support"), {}),
    ("lbh", "LBH APIK NTT (fiktif)", K.OTHER, "53.71",
     ("legal_aid", "legal_support", "restitution_facilitation"), {}),
)
SHELTER_KINDS = {K.KEMENSOS_SHELTER, K.UPTD_PPA, K.DINAS_SOSIAL}
LANGUAGES_BY_PROVINCE = {"53": ["Bahasa Indonesia", "Dawan", "Tetun"], "52": ["Bahasa Indonesia", "Sasak"],
                         "35": ["Bahasa Indonesia", "Jawa", "Madura"]}


def _profile(org: Organisation, *, extra: dict[str, Any]) -> None:
    if PartnerProfile.objects.filter(organisation=org).exists():
        return
    province = org.region_id[:2]
    values: dict[str, Any] = {
        "description": f"{org.get_kind_display()} · {org.region.name} (data demo)",
        "languages": LANGUAGES_BY_PROVINCE.get(province, ["Bahasa Indonesia"]),
        "contact_name": "Meja layanan",
        "contact_email": f"layanan{org.pk}@contoh.invalid",
        "contact_phone": "+62 380 000000",
        "contact_hours": "Senin–Jumat 08.00–16.00",
        "serves_foreign_nationals": org.kind in (K.KEMLU, K.LPSK, K.NGO),
        "national": org.kind in (K.LPSK, K.KEMLU),
    }
    if org.kind in SHELTER_KINDS:
        values.update(shelter_beds_total=12, shelter_beds_available=3)
    values.update(extra)
    profile = PartnerProfile.objects.create(organisation=org, **values)
    PartnerRegion.objects.create(profile=profile, region_id=province)
    if len(org.region_id) > 2:
        PartnerRegion.objects.get_or_create(profile=profile, region_id=org.region_id[:5])


def seed_demo(orgs: dict[str, Organisation], *, seed_value: int = 42, batch_size: int = 2000,
              progress: Callable[[str], None] | None = None) -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    # The one hash every demo user shares (demo.staff): hashing is slow by design.
    password = (User.objects.filter(username=PLATFORM_ADMIN_USERNAME).values_list("password", flat=True).first()
                or make_password(DEMO_PASSWORD))
    with transaction.atomic():
        all_orgs = dict(orgs)
        for key, name, kind, region, codes, extra in PARTNERS:
            org, _ = Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind, "region_id": region, "time_zone": time_zone_for_region(region)})
            all_orgs[key] = org
            for code in codes:
                service = Service.objects.filter(code=code).first()
                if service is not None:
                    OrganisationService.objects.get_or_create(organisation=org, service=service)
            _profile(org, extra=extra)
            username = f"{key}.caseworker"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create(username=username, organisation=org, password=password,
                                           first_name="Staf", last_name=name.split(" (")[0][:30])
            RoleAssignment.objects.get_or_create(user=user, role=Role.CASEWORKER)
            accounts.append(DemoAccount(org.name, [Role.CASEWORKER], username, DEMO_PASSWORD,
                                        totp_secret_b32(confirmed_device(user))))
        for org in orgs.values():
            _profile(org, extra={})
        _referrals(all_orgs)
    if progress:
        progress(f"partner directory: {len(all_orgs)} organisations; referrals in every state")
    return accounts


# The seven demo referrals: (recipient key, service, the state it reaches, days ago it was sent).
REFERRALS: tuple[tuple[str, str, str, int], ...] = (
    ("klinik", "medical_care", Referral.Status.SENT, 1),
    ("blk", "economic_empowerment", Referral.Status.ACCEPTED, 3),
    ("lbh", "legal_aid", Referral.Status.DECLINED, 6),
    ("gereja", "spiritual_guidance", Referral.Status.IN_PROGRESS, 9),
    ("klinik", "psychological_support", Referral.Status.COMPLETED, 20),
    ("bp3mi", "civil_documents", Referral.Status.REVOKED, 12),
    ("desa", "social_reintegration", Referral.Status.EXPIRED, 45),
)
TEXT = "Disampaikan melalui pendamping (data demo)"


def _referrals(orgs: dict[str, Organisation]) -> None:
    """Seven referrals from the demo units' open cases (UPTD PPA NTT's first: the new partners are in
    NTT), one in each state, made once, through the services: the consent (``consent_record``), the
    referral (``referral_send``), the partner's answer (``referral_accept``/``referral_decline``/
    ``referral_start``/``referral_complete``), the sender's ``referral_revoke``, and the daily jobs
    (``referrals_escalate``, ``referrals_expire``), each at its moment. A case the recipient does not
    serve (a child for a training centre, for example) is skipped for the next one."""
    senders = [orgs[k] for k in ("ntt", "lentera", "indramayu", "jatim", "handayani") if k in orgs]
    if not senders or Referral.objects.filter(sender_organisation__in=senders).exists():
        return
    candidates: list[Case] = []
    for sender in senders:  # NTT's cases first
        candidates += list(Case.objects.filter(lead_organisation=sender).exclude(status=CaseStatus.CLOSED)
                           .select_related("survivor", "lead_caseworker", "lead_organisation")
                           .order_by("opened_at"))
    now = timezone.now()
    used: set[Any] = set()
    for key, code, status, days_ago in REFERRALS:
        for case in candidates:
            if case.pk in used:
                continue
            try:
                with transaction.atomic():
                    _referral(case, orgs[key], code, status, now - dt.timedelta(days=days_ago))
            except ValidationError:
                continue  # the recipient does not take this case (or it was closed then): try the next
            used.add(case.pk)
            break


def _referral(case: Case, recipient: Organisation, code: str, status: str, sent_at: dt.datetime) -> None:
    lead = case.lead_caseworker
    tz = ZoneInfo(case.lead_organisation.time_zone)
    sent_on = sent_at.astimezone(tz).date()
    partner = User.objects.filter(organisation=recipient).order_by("pk").first()
    assert partner is not None
    child = bool(case.survivor.is_child_at_identification)
    with clock_at(sent_at - dt.timedelta(hours=1)):
        consent_record(actor=lead, case=case, data=ConsentInput(
            purpose=ConsentRecord.Purpose.REFERRAL, recipient_organisation_id=recipient.pk,
            scope="Rujukan (data demo)", lawful_basis=ConsentRecord.LawfulBasis.CONSENT,
            given_by=ConsentRecord.GivenBy.OVERRIDE if child else ConsentRecord.GivenBy.SURVIVOR,
            basis_reason="Wali tidak dapat dihubungi (data demo)" if child else "",
            given_on=max(case.identified_on, sent_on - dt.timedelta(days=1)),
        ))
    template = template_for_service(code)
    # Where the service is needed: the first of the case's places (identification, origin) the partner serves.
    profile = PartnerProfile.objects.get(organisation=recipient)
    region = next((r.code for r in service_regions(case) if serves_region(profile, r.code)), None)
    if region is None:
        raise ValidationError(f"{recipient.name} serves none of the case's places")
    with clock_at(sent_at):
        referral = referral_send(actor=lead, case=case, data=ReferralInput(
            recipient_organisation_id=recipient.pk, service=code, service_region=region, template=template.code,
            fields=list(template.defaults), texts={k: TEXT for k in template.defaults if FIELDS[k].is_text},
        ))
    answered = sent_at + dt.timedelta(days=1)
    S = Referral.Status
    if status in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED):
        with clock_at(answered):
            referral = referral_accept(actor=partner, referral=referral)
    if status in (S.IN_PROGRESS, S.COMPLETED):
        with clock_at(answered + dt.timedelta(days=1)):
            referral = referral_start(actor=partner, referral=referral)
    if status == S.COMPLETED:
        done = answered + dt.timedelta(days=5)
        with clock_at(done):
            referral_complete(actor=partner, referral=referral, delivered_on=done.astimezone(tz).date(),
                              outcome_report="Lima sesi konseling; tidur membaik (data demo)")
    elif status == S.DECLINED:
        with clock_at(answered):
            referral_decline(actor=partner, referral=referral, reason="Kapasitas penuh bulan ini (data demo)")
    elif status == S.REVOKED:
        with clock_at(answered):
            referral_revoke(actor=lead, referral=referral, reason="Penyintas memilih layanan lain (data demo)")
    elif status == S.EXPIRED:
        # Unanswered: the daily jobs escalate it after its response time, then let it expire.
        with clock_at(referral.respond_by + dt.timedelta(minutes=5)):
            referrals_escalate()
        with clock_at(sent_at + dt.timedelta(days=conf.unanswered_expiry_days(), minutes=5)):
            referrals_expire()
    referral.refresh_from_db()
    if referral.status != status:
        raise ValidationError(f"the referral reached {referral.status}, not {status}")
