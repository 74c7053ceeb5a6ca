"""Demo data of the livelihood room, written only through livelihood.services.

``seed(rng=..., cases=..., organisations=...)``: ``organisations`` are the training centres,
employers and programmes that publish (each needs an active user with a publishing role:
livelihood officer, supervisor or organisation administrator); ``cases`` are open cases whose
lead caseworker fills the profile. It publishes training programmes, vacancies across regions
(some offered below the minimum wage: they stay drafts with a failed check, as the product allows)
and enterprise support, imports the synthetic labour-market sample, then for each case records a
profile, the survivor's choice from the ranked suggestions, enrolments (in another organisation's
programme on a referral the provider accepted, or directly with the survivor's consent naming the
provider; the provider records the result, some with a certificate), placements that pass the check
and businesses started up to 20 months back, and the income follow-ups due since (3, 6, 12 and 24
months, each at its date), so the indicators at 6 and 12 months have real shapes. Each write is
made with the clock at its moment (``demo.clock``). Returns the counts written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organisation, Role, RoleAssignment, User
from cases.selectors import service_regions
from core import clock
from demo.clock import clock_at
from demo.staff import DEMO_PASSWORD, PLATFORM_ADMIN_USERNAME, DemoAccount, confirmed_device, totp_secret_b32
from livelihood import matching, selectors, services, skills, wages
from livelihood.conf import DATA, follow_up_months
from livelihood.models import Sector
from partners.models import PartnerProfile
from partners.selectors import serves_region
from referrals.services import ReferralInput, referral_accept, referral_send
from survivors.models import ConsentRecord
from survivors.services import ConsentInput, consent_record

PUBLISH_ROLES = (Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR, Role.ORG_ADMIN)
REGENCIES = ["53.71", "53.01", "35.78", "52.71", "51.71", "32.73", "33.74", "73.71"]
TRAININGS = [("Pelatihan menjahit dasar", "C_Manufacturing", ["sewing"]),
             ("Tata boga dan katering", "I_AccommodationAndFoodServiceActivities", ["cooking", "food_processing"]),
             ("Perhotelan: tata graha", "I_AccommodationAndFoodServiceActivities", ["housekeeping", "hospitality"]),
             ("Komputer dan pemasaran digital", "J_InformationAndCommunication", ["computer_basic",
                                                                                 "digital_marketing"]),
             ("Tenun ikat dan kerajinan", "C_Manufacturing", ["weaving", "handicraft"]),
             ("Tata rias", "S_OtherServiceActivities", ["beauty"]),
             ("Kewirausahaan dan pembukuan", "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
              ["business_basic", "bookkeeping"])]
VACANCIES = [("Penjahit garmen", "C_Manufacturing", ["sewing"]),
             ("Juru masak", "I_AccommodationAndFoodServiceActivities", ["cooking"]),
             ("Pramuniaga", "G_WholesaleAndRetailTradeRepairOfMotorVehicles", ["retail"]),
             ("Pengemudi", "H_TransportationAndStorage", ["driving"]),
             ("Pengasuh", "Q_HumanHealthAndSocialWorkActivities", ["caregiving"])]


# The partner directory's training centre and cooperative (demo.partners), and their livelihood officers.
PROVIDERS = (("blk", "BLK Komunitas Kupang (fiktif)"), ("tenun", "Koperasi Tenun Ikat Sumba (fiktif)"))


def provider_accounts() -> tuple[list[DemoAccount], list[Organisation]]:
    """A livelihood officer (who publishes programmes and records their results) for each partner
    training centre and cooperative: demo accounts, direct writes like every demo user."""
    accounts: list[DemoAccount] = []
    found: list[Organisation] = []
    password = (User.objects.filter(username=PLATFORM_ADMIN_USERNAME).values_list("password", flat=True).first()
                or make_password(DEMO_PASSWORD))
    for key, name in PROVIDERS:
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            continue
        username = f"{key}.livelihood"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(username=username, organisation=org, password=password,
                                       first_name="Petugas", last_name="Pemberdayaan")
        RoleAssignment.objects.get_or_create(user=user, role=Role.LIVELIHOOD_OFFICER)
        accounts.append(DemoAccount(org.name, [Role.LIVELIHOOD_OFFICER], username, DEMO_PASSWORD,
                                    totp_secret_b32(confirmed_device(user))))
        found.append(org)
    return accounts, found


def _publisher(org: Any) -> User | None:
    return (User.objects.filter(organisation=org, is_active=True, roles__role__in=PUBLISH_ROLES)
            .order_by("pk").first())


def seed(*, rng: random.Random, cases: Sequence[Any], organisations: Sequence[Any]) -> dict[str, int]:
    counts = {"opportunities": 0, "drafts_below_minimum": 0, "profiles": 0, "choices": 0, "enrolments": 0,
              "referrals": 0, "enrolled_directly": 0, "placements": 0, "enterprises": 0, "income_follow_ups": 0,
              "demand_rows": 0}
    publishers = [u for u in (_publisher(o) for o in organisations) if u is not None]
    if not publishers:
        return counts
    today = clock.today()
    # Published well before the survivors' records below (20 months back), still open today.
    with clock_at(clock.now() - dt.timedelta(days=640)):
        _publish(rng, publishers, today=today, counts=counts)
    admin = next((u for u in publishers if u.has_role(Role.ORG_ADMIN)), None)
    if admin is not None:
        try:
            counts["demand_rows"] = services.labour_demand_import(
                actor=admin, text=(DATA / "labour_demand_sample.csv").read_text(encoding="utf-8"),
                source="Contoh sintetis Sintas", source_date=today)
        except ValidationError:
            pass
    codes = sorted(skills.codes())
    by_org = {u.organisation_id: u for u in publishers}
    for case in cases:
        actor = case.lead_caseworker
        if actor is None or not case.is_open:
            continue
        if matching.AGE_BAND_START.get(case.survivor.age_band, 18) < 18:
            continue  # a child's economic support is schooling (the plan's education goals), not this room
        # Work or a business started one to four months after the case was identified (or up to
        # 20 months back for a case identified long ago); the profile and the choice a little
        # before; a training enrolment in the last weeks.
        started = max(case.identified_on + dt.timedelta(days=rng.randint(30, 120)),
                      today - dt.timedelta(days=rng.randint(400, 610)))
        profiled = max(case.identified_on, min(started, today) - dt.timedelta(days=10))
        with clock_at(_moment(case, profiled)):
            profile = services.profile_save(actor=actor, case=case, version=0, data=services.ProfileInput(
                education=rng.choice(["primary", "junior", "senior", "vocational"]), literacy="fluent",
                languages="Bahasa Indonesia", interest_sectors=rng.sample(list(Sector.values)[:19], 2),
                interests_text="Ingin bekerja dekat keluarga",
                constraints=rng.sample(["childcare", "travel", "hours"], 1),
                income_sources=["family"], debt_amount=rng.choice([0, 0, 2_000_000, 8_000_000]),
                debt_to_recruiter=rng.random() < .15, preferred_region=rng.choice(REGENCIES),
                skills=[services.SkillInput(skill=c, self_level=rng.randint(0, 2)) for c in rng.sample(codes, 2)]))
            counts["profiles"] += 1
            suggestions = selectors.suggestions_for(actor, case, profile, limit=5)
            trainings = [sg for sg in suggestions if sg.opportunity["kind"] == "training"]
            chosen = (trainings[0] if trainings and rng.random() < .6
                      else suggestions[0] if suggestions and rng.random() < .8 else None)
            services.choice_record(actor=actor, case=case, opportunity_id=chosen.id if chosen else None,
                                   note="" if chosen else "Belum siap, mengurus anak",
                                   shown=services.shown_of(suggestions))
            counts["choices"] += 1
        if chosen is not None and chosen.opportunity["kind"] == "training":
            _enrol(rng, case=case, actor=actor, chosen=chosen, publishers=by_org, counts=counts, today=today,
                   after=profiled)
        if started > today:
            continue
        roll = rng.random()
        region = profile.preferred_region_id or "53.71"
        if roll < .5:
            with clock_at(_moment(case, started)):
                services.placement_record(actor=actor, case=case, data=services.PlacementInput(
                    employer_name=rng.choice(["UD Sejahtera", "CV Tenun Ina", "Hotel Kasih"]),
                    sector=rng.choice(["C_Manufacturing", "I_AccommodationAndFoodServiceActivities"]), region=region,
                    started_on=started, monthly_wage=rng.choice([5_500_000, 6_000_000, 6_500_000]),
                    hours_per_week=40, contract_type="pkwt", bpjs_registered=True))
            counts["placements"] += 1
        elif roll < .8:
            with clock_at(_moment(case, started)):
                enterprise = services.enterprise_record(
                    actor=actor, case=case, business_type=rng.choice(["Warung makan", "Kios pulsa", "Tenun ikat"]),
                    sector="I_AccommodationAndFoodServiceActivities", started_on=started,
                    support_amount=rng.choice([0, 2_500_000]))
            counts["enterprises"] += 1
            closes = started + dt.timedelta(days=rng.randint(90, 400))
            if rng.random() < .35 and closes <= today:  # some businesses close
                with clock_at(_moment(case, closes)):
                    services.enterprise_update(actor=actor, enterprise=enterprise,
                                               first_sales_on=started + dt.timedelta(days=30), closed_on=closes)
        else:
            continue
        counts["income_follow_ups"] += _incomes(rng, case=case, actor=actor, started=started, today=today,
                                                region=region)
    return counts


def _publish(rng: random.Random, publishers: list[User], *, today: dt.date, counts: dict[str, int]) -> None:
    for n, publisher in enumerate(publishers):
        org = publisher.organisation
        # A training centre or cooperative trains where it is; the other organisations anywhere.
        local = org is not None and org.kind in (Organisation.Kind.TRAINING, Organisation.Kind.EMPLOYER) \
            and len(org.region_id or "") == 5
        for title, sector, taught in rng.sample(TRAININGS, 3):
            services.opportunity_save(actor=publisher, opportunity=None, version=None, values={
                "kind": "training", "status": "open", "title": title, "sector": sector, "skills": taught,
                "region": org.region_id if local and org is not None else rng.choice(REGENCIES), "places_free": rng.randint(5, 25),
                "start_date": today + dt.timedelta(days=rng.randint(7, 120)), "hours_per_week": rng.choice([15, 20, 30]),
                "certification": "Sertifikat kompetensi BNSP" if rng.random() < .6 else "",
                "stipend": rng.choice([0, 500_000, 1_000_000]), "childcare_available": rng.random() < .3,
                "flexible_schedule": rng.random() < .4, "documents_required": rng.random() < .5})
            counts["opportunities"] += 1
        for title, sector, needed in rng.sample(VACANCIES, 3):
            region = rng.choice(REGENCIES)
            below = rng.random() < .25  # some employers offer less than the minimum wage
            wage = rng.randint(900_000, 1_800_000) if below else rng.randint(5_400_000, 6_500_000)
            services.opportunity_save(actor=publisher, opportunity=None, version=None, values={
                "kind": "vacancy", "status": "draft" if below else "open", "title": title, "sector": sector,
                "skills": needed, "region": region, "places_free": rng.randint(1, 10),
                "employer_name": str(getattr(publisher.organisation, "name", "")), "monthly_wage": wage, "contract_type": "pkwt",
                "bpjs_registered": True, "hours_per_week": 40, "accommodation": "none"})
            counts["opportunities"] += 1
            counts["drafts_below_minimum"] += below
        if n % 2 == 0:
            services.opportunity_save(actor=publisher, opportunity=None, version=None, values={
                "kind": "enterprise", "status": "open", "title": "Bantuan modal usaha (KUBE)",
                "sector": "G_WholesaleAndRetailTradeRepairOfMotorVehicles", "region": rng.choice(REGENCIES),
                "places_free": 20, "support_type": rng.choice(["grant", "in_kind", "microcredit"]),
                "amount_max": 5_000_000, "conditions": "Kelompok 5-10 orang"})
            counts["opportunities"] += 1


def _moment(case: Any, day: dt.date) -> dt.datetime:
    """Ten in the morning in the lead organisation's time zone, on ``day``."""
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=ZoneInfo(case.lead_organisation.time_zone))


def _consent(case: Any, actor: Any, organisation_id: Any, on: dt.date) -> ConsentRecord:
    child = bool(case.survivor.is_child_at_identification)
    with clock_at(_moment(case, on)):
        return consent_record(actor=actor, case=case, data=ConsentInput(
            purpose=ConsentRecord.Purpose.REFERRAL, recipient_organisation_id=organisation_id,
            scope="Pelatihan keterampilan (data demo)", lawful_basis=ConsentRecord.LawfulBasis.CONSENT,
            given_by=ConsentRecord.GivenBy.OVERRIDE if child else ConsentRecord.GivenBy.SURVIVOR,
            basis_reason="Wali tidak dapat dihubungi (data demo)" if child else "", given_on=on))


def _referred(case: Any, actor: Any, provider: User, on: dt.date) -> bool:
    """A referral of the case to the provider for economic empowerment, accepted the next day; False
    (nothing written) when the provider is not in the partner directory or does not serve the case."""
    profile = (PartnerProfile.objects.filter(organisation_id=provider.organisation_id, is_listed=True).first()
               if provider.organisation_id is not None else None)
    if profile is None:
        return False
    region = next((r.code for r in service_regions(case) if serves_region(profile, r.code)), None)
    if region is None:
        return False
    try:
        with transaction.atomic():
            _consent(case, actor, provider.organisation_id, on)
            with clock_at(_moment(case, on)):
                referral = referral_send(actor=actor, case=case, data=ReferralInput(
                    recipient_organisation_id=provider.organisation_id, service="economic_empowerment",
                    service_region=region, template="training",
                    fields=["survivor.age_band", "referral.skills_interests"],
                    texts={"referral.skills_interests": "Ingin belajar keterampilan (data demo)"}))
            with clock_at(_moment(case, on + dt.timedelta(days=1))):
                referral_accept(actor=provider, referral=referral)
    except ValidationError:
        return False
    return True


def _enrol(rng: random.Random, *, case: Any, actor: Any, chosen: Any, publishers: dict[Any, User],
           counts: dict[str, int], today: dt.date, after: dt.date) -> None:
    """Enrol in the chosen programme: the lead's own needs nothing more; another organisation's needs
    a referral it accepted (most) or the survivor's consent to enrol directly (the rest). The
    provider records the result of about two thirds."""
    provider = publishers.get(chosen.opportunity.get("organisation_id"))
    enrolled_on = max(after + dt.timedelta(days=3), today - dt.timedelta(days=rng.randint(3, 40)))
    if enrolled_on > today:
        return
    direct = False
    if provider is not None and provider.organisation_id != case.lead_organisation_id:
        if rng.random() < .7 and _referred(case, actor, provider, enrolled_on - dt.timedelta(days=2)):
            counts["referrals"] += 1
        else:
            _consent(case, actor, provider.organisation_id, enrolled_on - dt.timedelta(days=1))
            direct = True
    try:
        with clock_at(_moment(case, enrolled_on)):
            enrolment = services.enrolment_create(actor=actor, case=case, opportunity_id=chosen.id,
                                                  enrolled_on=enrolled_on, direct=direct)
    except ValidationError:
        return
    counts["enrolments"] += 1
    counts["enrolled_directly"] += direct
    if rng.random() < .65:
        services.enrolment_complete(actor=provider or actor, enrolment=enrolment, completed_on=today,
                                    certificate="BNSP" if rng.random() < .85 else "")


def _incomes(rng: random.Random, *, case: Any, actor: Any, started: dt.date, today: dt.date, region: str) -> int:
    """The income follow-ups due since ``started`` (3, 6, 12, 24 months), each at its date: income
    tends to grow, some lose work, some debts grow."""
    written = 0
    # Income as a share of the minimum wage where the survivor lives, growing for most.
    minimum = wages.minimum_wage(region) or 3_000_000
    share = rng.choice([0.0, 0.4, 0.7, 0.9, 1.0, 1.1])
    for months in follow_up_months():
        visit = started + dt.timedelta(days=round(months * 30.44))
        if visit > today:
            break
        share = max(0.0, share + rng.choice([-0.4, 0.0, 0.15, 0.25, 0.3]))
        income = int(round(minimum * share, -4))
        with clock_at(_moment(case, visit)):
            services.income_follow_up_record(
                actor=actor, case=case, months_after=months, recorded_on=visit, working=income > 0,
                monthly_income=income, decent_work=income >= minimum,
                debt_change=rng.choice(["no_debt", "decreased", "decreased", "same", "increased"]))
        written += 1
    return written
