"""Demo data of the partner directory and referrals (``manage.py seed`` calls ``seed_demo``).

Synthetic only. Adds partner organisations so that every organisation type is in the directory
(the core demo has UPTD PPA, Dinas Sosial, a Kemensos shelter, an NGO, a hospital, the police PPA
unit and LPSK), a profile for every demo organisation, one demo caseworker in each new partner,
and seven referrals from the demo units' open cases (NTT first), one in each state. Idempotent: organisations,
users and profiles are found by name; referrals are made only when the demo units have none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, RoleAssignment, User, time_zone_for_region
from care.models import OrganisationService, Service, ServiceDelivery
from demo.staff import DEMO_PASSWORD, PLATFORM_ADMIN_USERNAME, DemoAccount, confirmed_device, totp_secret_b32
from partners.models import PartnerProfile, PartnerRegion

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
    # The one hash every demo user shares (core.seeding): hashing is slow by design.
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


def _referrals(orgs: dict[str, Organisation]) -> None:
    """Seven referrals from UPTD PPA NTT's open cases, one in each state (once); other demo units' cases
    when NTT has too few open ones."""
    from cases.models import Case, CaseStatus
    from referrals.models import Referral
    from referrals.packet import FIELDS, record_value, template_for_service
    from referrals.services import add_working_days
    from survivors.models import ConsentRecord

    senders = [orgs[k] for k in ("ntt", "lentera", "indramayu", "jatim", "handayani") if k in orgs]
    if not senders or Referral.objects.filter(sender_organisation__in=senders).exists():
        return
    cases: list[Any] = []
    for sender in senders:  # NTT's cases first: the new partners are in NTT
        cases += list(Case.objects.filter(lead_organisation=sender).exclude(status=CaseStatus.CLOSED)
                      .select_related("survivor__identity", "lead_caseworker", "lead_organisation")
                      .order_by("opened_at")[:7 - len(cases)])
    if len(cases) < 7:
        return
    now = timezone.now()
    plan = [
        ("klinik", "medical_care", Referral.Status.SENT, 1),
        ("blk", "economic_empowerment", Referral.Status.ACCEPTED, 3),
        ("lbh", "legal_aid", Referral.Status.DECLINED, 6),
        ("gereja", "spiritual_guidance", Referral.Status.IN_PROGRESS, 9),
        ("klinik", "psychological_support", Referral.Status.COMPLETED, 20),
        ("bp3mi", "civil_documents", Referral.Status.REVOKED, 12),
        ("desa", "social_reintegration", Referral.Status.EXPIRED, 45),
    ]
    for case, (key, code, status, days_ago) in zip(cases, plan, strict=True):
        sender = case.lead_organisation
        tz = ZoneInfo(sender.time_zone)
        recipient = orgs[key]
        service = Service.objects.get(code=code)
        sent_at = now - dt.timedelta(days=days_ago)
        sent_on = sent_at.astimezone(tz).date()
        consent = ConsentRecord.objects.create(
            survivor=case.survivor, purpose=ConsentRecord.Purpose.REFERRAL, recipient_organisation=recipient,
            scope="Rujukan (data demo)", lawful_basis=ConsentRecord.LawfulBasis.CONSENT,
            given_by=(ConsentRecord.GivenBy.OVERRIDE if case.survivor.is_child_at_identification
                      else ConsentRecord.GivenBy.SURVIVOR),
            basis_reason="Wali tidak dapat dihubungi (data demo)" if case.survivor.is_child_at_identification else "",
            given_on=min(sent_on, max(case.identified_on, sent_on - dt.timedelta(days=1))),
            recorded_by=case.lead_caseworker,
        )
        template = template_for_service(code)
        values: dict[str, Any] = {}
        for field_key in template.defaults:
            if FIELDS[field_key].is_text:
                values[field_key] = "Disampaikan melalui pendamping (data demo)"
            else:
                values[field_key] = record_value(field_key, case)
        region = case.identification_region_id or sender.region_id
        partner_user = User.objects.filter(organisation=recipient).order_by("pk").first()
        r = Referral(
            case=case, sender_organisation=sender, sent_by=case.lead_caseworker, recipient_organisation=recipient,
            service=service, service_region_id=region[:5], template=template.code,
            lawful_basis=Referral.Basis.CONSENT, consent=consent, packet_fields=list(values),
            packet_values=json.dumps(values, default=str, ensure_ascii=False), status=status, sent_at=sent_at,
            respond_by=add_working_days(sent_at, 3, tz), last_event_at=sent_at,
        )
        answered = sent_at + dt.timedelta(days=1)
        if status in (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS, Referral.Status.COMPLETED,
                      Referral.Status.DECLINED):
            r.responded_at, r.responded_by = answered, partner_user
        if status == Referral.Status.DECLINED:
            r.decline_reason = "Kapasitas penuh bulan ini (data demo)"
        if status in (Referral.Status.IN_PROGRESS, Referral.Status.COMPLETED):
            r.started_at = answered + dt.timedelta(days=1)
        if status == Referral.Status.COMPLETED and partner_user is not None:
            r.completed_at, r.completed_by = answered + dt.timedelta(days=5), partner_user
            r.outcome_report = "Lima sesi konseling; tidur membaik (data demo)"
            # As referral_complete does: the outcome report becomes the partner's delivery in the case.
            r.outcome_delivery = ServiceDelivery.objects.create(
                case=case, service=service, organisation=recipient, delivered_by=partner_user,
                created_by=partner_user, delivered_on=r.completed_at.date(), outcome_note=r.outcome_report,
                status=ServiceDelivery.Status.RECORDED, recorded_at=r.completed_at,
            )
        if status == Referral.Status.REVOKED:
            r.revoked_at, r.revoked_by = answered, case.lead_caseworker
            r.revoke_reason = "Penyintas memilih layanan lain (data demo)"
        if status == Referral.Status.EXPIRED:
            r.expired_at = sent_at + dt.timedelta(days=30)
            r.escalated_at = r.respond_by
        r.save()
