"""Demo data of the livelihood room, written only through livelihood.services.

``seed(rng=..., cases=..., organisations=...)``: ``organisations`` are the training centres,
employers and programmes that publish (each needs an active user with a publishing role:
livelihood officer, supervisor or organisation administrator); ``cases`` are open cases whose
lead caseworker fills the profile. It publishes training programmes, vacancies across regions
(some offered below the minimum wage: they stay drafts with a failed check, as the product allows)
and enterprise support, imports the synthetic labour-market sample, then for each case records a
profile, the survivor's choice from the ranked suggestions, enrolments (some completed with a
certificate), placements that pass the check, businesses and income follow-ups, so the
indicators have real shapes. Returns the counts written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from accounts.models import Role, User
from core import clock
from livelihood import selectors, services, skills
from livelihood.conf import DATA
from livelihood.models import Sector

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


def _publisher(org: Any) -> User | None:
    return (User.objects.filter(organisation=org, is_active=True, roles__role__in=PUBLISH_ROLES)
            .order_by("pk").first())


def seed(*, rng: random.Random, cases: Sequence[Any], organisations: Sequence[Any]) -> dict[str, int]:
    counts = {"opportunities": 0, "drafts_below_minimum": 0, "profiles": 0, "choices": 0, "enrolments": 0,
              "placements": 0, "enterprises": 0, "income_follow_ups": 0, "demand_rows": 0}
    publishers = [u for u in (_publisher(o) for o in organisations) if u is not None]
    if not publishers:
        return counts
    today = clock.today()
    for n, publisher in enumerate(publishers):
        for title, sector, taught in rng.sample(TRAININGS, 3):
            services.opportunity_save(actor=publisher, opportunity=None, version=None, values={
                "kind": "training", "status": "open", "title": title, "sector": sector, "skills": taught,
                "region": rng.choice(REGENCIES), "places_free": rng.randint(5, 25),
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
    admin = next((u for u in publishers if u.has_role(Role.ORG_ADMIN)), None)
    if admin is not None:
        try:
            counts["demand_rows"] = services.labour_demand_import(
                actor=admin, text=(DATA / "labour_demand_sample.csv").read_text(encoding="utf-8"),
                source="Contoh sintetis Sintas", source_date=today)
        except ValidationError:
            pass
    codes = sorted(skills.codes())
    for case in cases:
        actor = case.lead_caseworker
        if actor is None or not case.is_open:
            continue
        profile = services.profile_save(actor=actor, case=case, version=0, data=services.ProfileInput(
            education=rng.choice(["primary", "junior", "senior", "vocational"]), literacy="fluent",
            languages="Bahasa Indonesia", interest_sectors=rng.sample(list(Sector.values)[:19], 2),
            interests_text="Ingin bekerja dekat keluarga", constraints=rng.sample(["childcare", "travel", "hours"], 1),
            income_sources=["family"], debt_amount=rng.choice([0, 0, 2_000_000, 8_000_000]),
            preferred_region=rng.choice(REGENCIES),
            skills=[services.SkillInput(skill=c, self_level=rng.randint(0, 2)) for c in rng.sample(codes, 2)]))
        counts["profiles"] += 1
        suggestions = selectors.suggestions_for(actor, case, profile, limit=5)
        shown = services.shown_of(suggestions)
        chosen = suggestions[0] if suggestions and rng.random() < .8 else None
        services.choice_record(actor=actor, case=case, opportunity_id=chosen.id if chosen else None,
                               note="" if chosen else "Belum siap, mengurus anak", shown=shown)
        counts["choices"] += 1
        if chosen is not None and chosen.opportunity["kind"] == "training":
            enrolment = services.enrolment_create(actor=actor, case=case, opportunity_id=chosen.id,
                                                  enrolled_on=today - dt.timedelta(days=rng.randint(0, 30)))
            counts["enrolments"] += 1
            if rng.random() < .5:
                services.enrolment_complete(actor=actor, enrolment=enrolment, completed_on=today,
                                            certificate="BNSP" if rng.random() < .7 else "")
        started = today - dt.timedelta(days=rng.randint(0, 60))
        roll = rng.random()
        if roll < .4:
            region = profile.preferred_region_id or "53.71"
            services.placement_record(actor=actor, case=case, data=services.PlacementInput(
                employer_name="UD Sejahtera", sector="C_Manufacturing", region=region, started_on=started,
                monthly_wage=6_000_000, hours_per_week=40, contract_type="pkwt", bpjs_registered=True))
            counts["placements"] += 1
        elif roll < .6:
            services.enterprise_record(actor=actor, case=case, business_type="Warung makan",
                                       sector="I_AccommodationAndFoodServiceActivities", started_on=started,
                                       support_amount=rng.choice([0, 2_500_000]))
            counts["enterprises"] += 1
        if roll < .6:
            income = rng.choice([0, 1_200_000, 2_500_000, 3_500_000, 6_000_000])
            services.income_follow_up_record(actor=actor, case=case, months_after=3, recorded_on=today,
                                             working=income > 0, monthly_income=income,
                                             debt_change=rng.choice(["no_debt", "decreased", "same", "increased"]),
                                             decent_work=income >= 3_500_000)
            counts["income_follow_ups"] += 1
    return counts
