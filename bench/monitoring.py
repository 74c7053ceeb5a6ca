"""Benchmark the national monitoring dashboard and the annual report on a large data set.

    DATABASE_URL=postgres://... .venv/bin/python bench/monitoring.py [--deliveries 5000000] [--repeat 5]

Uses the configured database (PostgreSQL is the point: 200,000 survivors and 5,000,000 service
deliveries). The survivors come from ``manage.py seed --bulk`` (run ``bench/run.py`` or
``manage.py seed --bulk --no-recovery`` first; the bulk path of ``demo/bulk.py``); this script adds, only when missing, service deliveries in bulk SQL (INSERT ... SELECT from
generate_series: each case gets 25 over its first year), some holistic assessments (a baseline
and a reassessment for every fourth case), a national monitoring scope for a demo M&E officer,
rebuilds the case figures the dashboards read (``monitoring.facts``, timed), and then

* changes 1,000 cases (a new recorded delivery each, in bulk SQL, marked for the refresh as the
  services' change records mark them) and times the incremental refresh that follows;
* requests the national dashboard (``monitoring:dashboard_national``) for the last full year,
  signed in as that officer with the Django test client, ``--repeat`` times;
* requests the dashboard in a loop while a full rebuild that rewrites every row (the worst case: a
  changed time limit) runs in a child process, and reports the slowest request;
* generates the annual report (PDF and Excel) for the nation in a child process, measuring its
  wall time and its maximum resident memory.

Prints a Markdown table and writes it to var/bench-monitoring.md. Targets: dashboard < 1 s (median),
incremental refresh after 1,000 changed cases < 2 s, no dashboard request over 1 s while a refresh
runs, annual report < 60 s, report memory < 1 GB. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Organisation, Role, RoleAssignment, User  # noqa: E402
from care.models import ServiceDelivery  # noqa: E402
from cases.models import Case  # noqa: E402
from core import clock  # noqa: E402
from monitoring.facts import cases_mark, facts_refresh  # noqa: E402
from monitoring.models import MonitoringScope, ReportRequest  # noqa: E402
from monitoring.services import report_generate, report_period  # noqa: E402
from recovery.models import Assessment, Instrument  # noqa: E402

DASHBOARD_TARGET_S = 1.0
REPORT_TARGET_S = 60.0
REPORT_TARGET_MB = 1024.0
INCREMENTAL_TARGET_S = 2.0
DURING_REFRESH_TARGET_S = 1.0
CHANGED_CASES = 1000
BENCH_USER = "bench_monev_national"


def deliveries_add(target: int) -> int:
    """Top the recorded deliveries up to ``target`` in bulk SQL (PostgreSQL only)."""
    have = ServiceDelivery.objects.count()
    if have >= target:
        return have
    cases = Case.objects.count()
    per_case = max(1, -(-(target - have) // max(cases, 1)))
    sql = """
        WITH svc AS (
            SELECT array_agg(id ORDER BY id) AS ids FROM care_service WHERE category <> 'act'
        )
        INSERT INTO care_servicedelivery (id, case_id, service_id, organisation_id, delivered_by_id,
            created_by_id, delivered_on, place, outcome_note, status, recorded_at, created_at, updated_at)
        SELECT gen_random_uuid(), c.id,
               svc.ids[1 + mod(abs(hashtext(c.id::text)) + g, array_length(svc.ids, 1))],
               c.lead_organisation_id, c.lead_caseworker_id, c.lead_caseworker_id,
               c.identified_on + mod(g * g * 7 + mod(abs(hashtext(c.id::text)), 13), 365),
               '', '', 'recorded', now(), now(), now()
        FROM cases_case c CROSS JOIN svc CROSS JOIN generate_series(1, %s) AS g
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [per_case, target - have])
        cursor.execute("ANALYZE care_servicedelivery")
    return ServiceDelivery.objects.count()


def assessments_add() -> int:
    """A baseline and a reassessment (six domain scores each) for every fourth case, in bulk SQL."""
    if Assessment.objects.exists():
        return Assessment.objects.count()
    instrument = Instrument.objects.filter(kind=Instrument.Kind.HOLISTIC).order_by("-version").first()
    if instrument is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO recovery_assessment (id, case_id, instrument_id, kind, assessed_on, status, recorded_by_id,
                created_at, updated_at, completed_at, version)
            SELECT gen_random_uuid(), c.id, %s, k.kind, c.identified_on + k.days, 'completed', c.lead_caseworker_id,
                   now(), now(), now(), 1
            FROM cases_case c
            CROSS JOIN (VALUES ('baseline', 3), ('periodic', 120)) AS k(kind, days)
            WHERE mod(abs(hashtext(c.id::text)), 4) = 0
        """, [instrument.pk])
        cursor.execute("""
            INSERT INTO recovery_domainscore (assessment_id, domain, score)
            SELECT a.id, d.domain,
                   LEAST(4, GREATEST(1, round((1.5 + mod(abs(hashtext(a.id::text || d.domain)), 200) / 100.0
                         + CASE WHEN a.kind = 'periodic' THEN 0.5 ELSE 0 END)::numeric, 2)))
            FROM recovery_assessment a
            CROSS JOIN (VALUES ('safety'), ('legal'), ('mental'), ('economic'), ('social'), ('physical')) AS d(domain)
        """)
        cursor.execute("ANALYZE recovery_assessment")
        cursor.execute("ANALYZE recovery_domainscore")
    return Assessment.objects.count()


def cases_change(n: int) -> int:
    """Change ``n`` cases: one more recorded delivery each, in bulk SQL (PostgreSQL), marked for the
    refresh the way the services' change records mark them (``facts.cases_mark``)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH picked AS (SELECT id, lead_organisation_id, lead_caseworker_id, identified_on FROM cases_case
                            ORDER BY md5(id::text || clock_timestamp()::text) LIMIT %s),
                 svc AS (SELECT id FROM care_service WHERE code = 'legal_aid')
            INSERT INTO care_servicedelivery (id, case_id, service_id, organisation_id, delivered_by_id,
                created_by_id, delivered_on, place, outcome_note, status, recorded_at, created_at, updated_at)
            SELECT gen_random_uuid(), p.id, svc.id, p.lead_organisation_id, p.lead_caseworker_id,
                   p.lead_caseworker_id, p.identified_on + 1, '', '', 'recorded', now(), now(), now()
            FROM picked p CROSS JOIN svc
            RETURNING case_id
        """, [n])
        changed = [row[0] for row in cursor.fetchall()]
    return cases_mark(changed)


def refresh_child(mode: str) -> None:
    """In the child process: one refresh (``full`` or ``incremental``); print its seconds."""
    print("STARTED", flush=True)
    t0 = time.perf_counter()
    result = facts_refresh(full=mode == "full")
    print(f"RESULT {int(result.ran)} {time.perf_counter() - t0:.2f} {result.cases} {result.written}")


def dashboard_during_refresh(client: Client, url: str, *, rewrite: bool) -> tuple[list[float], float, str]:
    """Dashboard requests, one after another, while a full rebuild runs in a child process. With
    ``rewrite`` every row is made to differ first, so the rebuild rewrites the whole table (the worst
    case, as after a changed time limit); without, it recomputes every case and writes what differs
    (the nightly rebuild)."""
    if rewrite:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE monitoring_casefact SET police_met = NULL")
            cursor.execute("VACUUM ANALYZE monitoring_casefact")  # the bench's own change, not the refresh's
    child = subprocess.Popen([sys.executable, __file__, "--refresh-child", "full"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ})
    assert child.stdout is not None
    child.stdout.readline()  # "STARTED": measured from the refresh itself, not the child's start-up
    t_start = time.perf_counter()
    times: list[float] = []
    while child.poll() is None:
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        if response.status_code != 200:
            child.kill()
            raise RuntimeError(f"dashboard answered {response.status_code} during the refresh")
    out, err = child.communicate()
    line = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), "")
    if not line:
        print(out[-2000:], err[-4000:], file=sys.stderr)
    return times, time.perf_counter() - t_start, line


def during_row(label: str, times: list[float], seconds: float, child_line: str) -> list[str]:
    met = bool(times) and max(times) < DURING_REFRESH_TARGET_S and child_line.startswith("RESULT 1")
    return [f"{label} ({len(times)} requests in {seconds:.0f} s)",
            f"max {max(times, default=0) * 1000:.0f} ms (median {statistics.median(times or [0]) * 1000:.0f})", "–",
            "every one < 1 s", "yes" if met else "no"]


def national_officer() -> User:
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        org = Organisation.objects.order_by("pk").first()
        user = User.objects.create_user(username=BENCH_USER, password=None, organisation=org)
        RoleAssignment.objects.create(user=user, role=Role.ME_OFFICER)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    MonitoringScope.objects.get_or_create(user=user, level="national", region=None)
    return user


def login(client: Client, user: User) -> None:
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    session = client.session
    assert device is not None
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def report_child(report_id: str) -> None:
    """In the child process: generate one report; print seconds and max RSS (MB)."""
    t0 = time.perf_counter()
    report = report_generate(report_id)
    elapsed = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {report.status} {elapsed:.2f} {rss_mb:.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--year", type=int, default=0, help="Report year (default: last full year).")
    parser.add_argument("--report-child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--refresh-child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.report_child:
        report_child(args.report_child)
        return 0
    if args.refresh_child:
        refresh_child(args.refresh_child)
        return 0
    settings.DEBUG = False
    if connection.vendor != "postgresql":
        print("note: the targets are for PostgreSQL; bulk seeding of deliveries needs it", file=sys.stderr)
    else:
        t0 = time.perf_counter()
        n = deliveries_add(args.deliveries)
        a = assessments_add()
        print(f"data: {Case.objects.count()} cases, {n} deliveries, {a} assessments "
              f"(prepared in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    t0 = time.perf_counter()
    facts_refresh(full=True)
    refresh_s = time.perf_counter() - t0
    incremental_s, incremental_cases = float("nan"), 0
    if connection.vendor == "postgresql":
        cases_change(CHANGED_CASES)
        t0 = time.perf_counter()
        incremental = facts_refresh()
        incremental_s, incremental_cases = time.perf_counter() - t0, incremental.cases
    year = args.year or clock.today().year - 1
    user = national_officer()
    client = Client()
    login(client, user)
    url = reverse("monitoring:dashboard_national") + f"?start={year}-01-01&end={year}-12-31"
    client.get(url)  # warm-up
    times, queries = [], []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
        queries.append(len(ctx.captured_queries))
        if response.status_code != 200:
            print(f"dashboard answered {response.status_code}", file=sys.stderr)
            return 1
    slowest = sorted(((float(q.get("time") or 0), q["sql"][:160]) for q in ctx.captured_queries), reverse=True)[:5]
    during, during_refresh_s, during_line = dashboard_during_refresh(client, url, rewrite=False)
    rewriting, rewrite_s, rewrite_line = dashboard_during_refresh(client, url, rewrite=True)
    print("dashboard during the full rebuilds (ms):", [round(t * 1000) for t in during],
          [round(t * 1000) for t in rewriting], file=sys.stderr)

    start, end = report_period("annual", year)
    report = ReportRequest.objects.create(requested_by=user, level="national", period_kind="annual", year=year,
                                          start=start, end=end)
    t0 = time.perf_counter()
    child = subprocess.run([sys.executable, __file__, "--report-child", str(report.pk)], capture_output=True,
                           text=True, check=False, env={**os.environ})
    wall = time.perf_counter() - t0
    line = next((ln for ln in child.stdout.splitlines() if ln.startswith("RESULT ")), "")
    if not line:
        print(child.stdout[-2000:], child.stderr[-4000:], file=sys.stderr)
        return 1
    _tag, status, seconds, rss = line.split()
    report_s, rss_mb = float(seconds), float(rss)

    dash_med = statistics.median(times)
    rows = [
        ["national dashboard (year " + str(year) + ")", f"{dash_med * 1000:.0f} ms (max {max(times) * 1000:.0f})",
         f"{statistics.median(queries):.0f}", "< 1 s", "yes" if dash_med < DASHBOARD_TARGET_S else "no"],
        ["annual report, PDF + Excel", f"{report_s:.1f} s (process {wall:.1f} s)", "–", "< 60 s",
         "yes" if report_s < REPORT_TARGET_S and status == "done" else "no"],
        ["annual report, max RSS", f"{rss_mb:.0f} MB", "–", "< 1024 MB", "yes" if rss_mb < REPORT_TARGET_MB else "no"],
        [f"incremental refresh after {CHANGED_CASES:,} changed cases ({incremental_cases:,} recomputed)",
         f"{incremental_s:.2f} s", "–", "< 2 s", "yes" if incremental_s < INCREMENTAL_TARGET_S else "no"],
        during_row("dashboard while a full rebuild runs", during, during_refresh_s, during_line),
        during_row("dashboard while a full rebuild rewrites every row", rewriting, rewrite_s, rewrite_line),
        ["full rebuild of the case figures (background, nightly)", f"{refresh_s:.1f} s", "–", "(no target)", "yes"],
    ]
    lines = ["| measure | result | queries | target | met? |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(lines)
    print(text)
    print("\nslowest dashboard queries (s):", file=sys.stderr)
    for seconds_q, sql in slowest:
        print(f"  {seconds_q:.3f} {sql}", file=sys.stderr)
    out = Path(settings.VAR_DIR) / "bench-monitoring.md"
    out.write_text(text + "\n", encoding="utf-8")
    return 0 if all(r[-1] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
