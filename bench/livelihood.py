"""Benchmark matching: one survivor ranked over 5,000 open opportunities.

    DATABASE_URL=postgres://... .venv/bin/python bench/livelihood.py [--opportunities 5000] [--repeat 60]

Uses the configured database (PostgreSQL is the point). Adds, only when missing, a synthetic
training centre with ``--opportunities`` open opportunities of the three kinds across regions and
sectors (bulk inserts: benchmark data, not demo data), labour-market figures for the survivor's
regency, and one survivor with an economic profile (through the services). Then it times, in
the same run and the same process:

* ``selectors.suggestions_for`` (what the case page and the API call: the profile, every open
  opportunity in one query, the demand, the scoring), ``--repeat`` times: median and p95;
* the floor: one indexed primary-key query (a case by its id) through the ORM, the cheapest read,
  so the ratio holds on a noisy machine where times do not;
* the query count of one matching, with 5,000 opportunities and with 50 (it must not grow).

Prints a Markdown table and writes it to var/bench-livelihood.md. Target: p95 < 300 ms.
Exit status 1 when the target is missed or the query count grows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from access.livelihood import opportunities_visible_to  # noqa: E402
from accounts.models import Organisation, Role, RoleAssignment, User  # noqa: E402
from cases.models import Case  # noqa: E402
from core import clock  # noqa: E402
from core.models import Region  # noqa: E402
from livelihood import selectors, services, skills  # noqa: E402
from livelihood.models import LabourDemand, Opportunity, Sector  # noqa: E402
from survivors.services import RegistrationInput, survivor_register  # noqa: E402

TARGET_P95_MS = 300.0
ORG_NAME = "Bench LPK Livelihood"
REGENCY = "53.71"


def _user(username: str, org: Organisation, role: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"organisation": org,
                                                                           "first_name": username})
    if created:
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, role=role)
    return user


def setup(n: int) -> tuple[User, Case]:
    if not Region.objects.filter(code=REGENCY).exists():  # a fresh database: the region codes first
        from core.regions import regions_load

        regions_load()
    org, _ = Organisation.objects.get_or_create(name=ORG_NAME, defaults={"kind": "training", "region_id": REGENCY,
                                                                         "time_zone": "Asia/Makassar"})
    publisher = _user("bench_lw_publisher", org, Role.LIVELIHOOD_OFFICER)
    worker = _user("bench_lw_caseworker", org, Role.CASEWORKER)
    have = Opportunity.objects.filter(organisation=org, status="open").count()
    if have < n:
        rng = random.Random(13)  # noqa: S311 (synthetic data)
        regencies = list(Region.objects.filter(level=Region.Level.REGENCY).values_list("code", flat=True))
        sectors = list(Sector.values)
        codes = sorted(skills.codes())
        now = clock.now()
        today = clock.today()
        rows = []
        for i in range(have, n):
            kind = ("training", "vacancy", "enterprise")[i % 3]
            rows.append(Opportunity(
                organisation=org, kind=kind, status="open", title=f"Bench {kind} {i}", sector=rng.choice(sectors),
                skills=rng.sample(codes, 2), region_id=REGENCY if i % 10 == 0 else rng.choice(regencies),
                online=i % 17 == 0, start_date=today + dt.timedelta(days=rng.randint(-10, 200)),
                hours_per_week=rng.choice([20, 30, 40]), places_free=rng.randint(1, 30),
                childcare_available=i % 4 == 0, flexible_schedule=i % 5 == 0, documents_required=i % 3 != 0,
                employer_name=f"PT Bench {i % 300}" if kind == "vacancy" else "",
                monthly_wage=3_000_000 if kind == "vacancy" else None, contract_type="pkwt" if kind == "vacancy" else "",
                bpjs_registered=kind == "vacancy", support_type="grant" if kind == "enterprise" else "",
                created_by=publisher, created_at=now, updated_at=now,
            ))
        Opportunity.objects.bulk_create(rows, batch_size=1000)
    if not LabourDemand.objects.filter(region_id=REGENCY, source="bench").exists():
        LabourDemand.objects.bulk_create([
            LabourDemand(region_id=REGENCY, sector=s, period="2026", openings=(k + 1) * 37, source="bench",
                         source_date=dt.date(2026, 1, 1), imported_by=publisher, imported_at=clock.now())
            for k, s in enumerate(Sector.values)])
    case = Case.objects.filter(lead_organisation=org).first()
    if case is None:

        case = survivor_register(actor=worker, data=RegistrationInput(
            full_name="Bench Survivor", sex="female", birth_date=dt.date(1999, 4, 12), nik="",
            identified_on=dt.date(2026, 3, 2), channel="police", phone_numbers="", address="",
            origin_province="53", origin_regency=REGENCY))
        services.profile_save(actor=worker, case=case, version=0, data=services.ProfileInput(
            education="senior", interest_sectors=["C_Manufacturing", "I_AccommodationAndFoodServiceActivities"],
            constraints=["childcare"], preferred_region=REGENCY,
            skills=[services.SkillInput(skill="sewing", self_level=2), services.SkillInput(skill="cooking",
                                                                                          self_level=1)]))
    return worker, case


def _time(fn: object, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args(argv)
    user, case = setup(args.opportunities)
    open_count = opportunities_visible_to(user).filter(status="open").count()

    def match() -> None:
        selectors.suggestions_for(user, case, selectors.profile_for(case))

    def floor() -> None:
        Case.objects.filter(pk=case.pk).values_list("pk", flat=True).first()

    match()  # warm the connection and the caches
    floor()
    matching = _time(match, args.repeat)
    floors = _time(floor, args.repeat)
    with CaptureQueriesContext(connection) as big:
        match()
    # The same matching over 50 opportunities (the others closed for the moment, in a transaction rolled back).
    from django.db import transaction

    with transaction.atomic():
        keep = list(Opportunity.objects.filter(organisation=user.organisation_id, status="open")
                    .order_by("id").values_list("id", flat=True)[:50])
        Opportunity.objects.filter(organisation=user.organisation_id, status="open").exclude(pk__in=keep).update(
            status="closed")
        with CaptureQueriesContext(connection) as small:
            match()
        transaction.set_rollback(True)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    m_p95, f_p95 = p95(matching), p95(floors)
    rows = [
        "| measure | median ms | p95 ms | ratio to floor (p95) |",
        "| --- | ---: | ---: | ---: |",
        f"| matching one survivor over {open_count} open opportunities | {statistics.median(matching):.1f} | "
        f"{m_p95:.1f} | {m_p95 / f_p95:.0f}x |",
        f"| floor: one indexed primary-key query | {statistics.median(floors):.2f} | {f_p95:.2f} | 1x |",
        "",
        f"Database: {engine}; {args.repeat} runs each. Queries per matching: {len(big.captured_queries)} with "
        f"{open_count} opportunities, {len(small.captured_queries)} with 50. Target: p95 < {TARGET_P95_MS:.0f} ms.",
    ]
    table = "\n".join(rows)
    print(table)
    out = Path(os.environ.get("SINTAS_VAR_DIR", ROOT / "var")) / "bench-livelihood.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table + "\n", encoding="utf-8")
    ok = m_p95 < TARGET_P95_MS and len(big.captured_queries) == len(small.captured_queries)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
