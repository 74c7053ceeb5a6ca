"""Benchmark the caseload list and the case file on a large synthetic data set.

    .venv/bin/python bench/run.py [--survivors 100000] [--cases 200] [--repeat 30] [--no-seed]

Uses the configured database (``DATABASE_URL``; SQLite under var/ by default). First tops the
synthetic data up to ``--survivors`` with ``manage.py seed --bulk`` (the benchmark's bulk path,
``demo/bulk.py``; nothing is added if they are already there), then signs in a supervisor and a caseworker of the largest demo organisation with the
Django test client (password and second factor passed, as ``conftest.login`` does) and requests:

* the caseload list (``cases:list``): plain, searched by a survivor code (``?q=``), filtered by
  status (``?status=services``);
* the case file (``cases:detail``, ``case_id``) of ~200 different cases.

For each it reports the median and 95th-percentile server time (the whole request inside this
process: middleware, views, queries, templates), the SQL query count and the response size, prints
a Markdown table, and writes it to var/bench-results.md. ``DEBUG`` is switched off so the timings
are those of a production configuration (``--debug`` keeps the setting).

Exit status: 0 when every page was measured and met its target, 1 when a target was missed or a
page did not answer 200, 2 when a page is missing (its URL name is not defined yet).
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Organisation, User  # noqa: E402
from cases.models import Case, CaseStatus  # noqa: E402
from core.models import Region  # noqa: E402
from demo.staff import DEMO_ORGANISATIONS  # noqa: E402
from survivors.models import Survivor  # noqa: E402

LIST_TARGET_MS = 100.0
FILE_TARGET_MS = 50.0
FILE_TARGET_KB = 100.0


@dataclass
class Result:
    page: str
    target_ms: float
    target_kb: float | None = None
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    bad_status: dict[int, int] = field(default_factory=dict)
    missing: str = ""
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (ms, sql), the slowest queries seen

    @property
    def n(self) -> int:
        return len(self.times_ms)

    def p(self, q: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    def met(self) -> bool:
        if self.missing or not self.n or self.bad_status:
            return False
        if self.p(0.95) >= self.target_ms:
            return False
        return self.target_kb is None or max(self.sizes) / 1024 < self.target_kb

    def row(self) -> list[str]:
        target = f"p95 < {self.target_ms:.0f} ms" + (f", < {self.target_kb:.0f} KB" if self.target_kb else "")
        if self.missing:
            return [self.page, "0", "–", "–", "–", "–", target, f"not measured: {self.missing}"]
        q_med, q_max = int(statistics.median(self.queries)), max(self.queries)
        queries = str(q_med) if q_med == q_max else f"{q_med} (max {q_max})"
        kb_med, kb_max = statistics.median(self.sizes) / 1024, max(self.sizes) / 1024
        kb = f"{kb_med:.1f}" if abs(kb_max - kb_med) < 0.05 else f"{kb_med:.1f} (max {kb_max:.1f})"
        met = "yes" if self.met() else "no"
        if self.bad_status:
            met += " (status " + ", ".join(f"{code}×{n}" for code, n in sorted(self.bad_status.items())) + ")"
        return [self.page, str(self.n), f"{statistics.median(self.times_ms):.1f}", f"{self.p(0.95):.1f}", queries,
                kb, target, met]


def login(client: Client, user: User) -> Client:
    """Signed in with the second factor passed (the same as conftest.login)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        raise SystemExit(f"{user.username} has no confirmed TOTP device; run `manage.py seed` first.")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def url_or_none(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def measure(result: Result, client: Client, urls: Sequence[str], *, warmup: int = 3) -> Result:
    for url in urls[:warmup]:
        client.get(url)
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
            elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            result.bad_status[response.status_code] = result.bad_status.get(response.status_code, 0) + 1
        result.times_ms.append(elapsed)
        result.queries.append(len(ctx.captured_queries))
        result.sizes.append(len(body))
        for q in ctx.captured_queries:
            result.slowest.append((float(q.get("time") or 0) * 1000, q["sql"]))
        result.slowest = sorted(result.slowest, reverse=True)[:20]
    return result


def table(results: Sequence[Result]) -> str:
    header = ["page", "n", "median ms", "p95 ms", "queries", "KB", "target", "met?"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(r.row()) + " |" for r in results]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--survivors", type=int, default=100_000, help="Synthetic survivors to have (default 100000).")
    parser.add_argument("--no-seed", action="store_true", help="Do not seed; measure what is in the database.")
    parser.add_argument("--cases", type=int, default=200, help="Different case files to open (default 200).")
    parser.add_argument("--repeat", type=int, default=30, help="Requests per caseload variant (default 30).")
    parser.add_argument("--org", default="ntt", help="Demo organisation key whose staff sign in (default ntt).")
    parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "bench-results.md"))
    parser.add_argument("--debug", action="store_true", help="Keep DEBUG as configured (default: off).")
    parser.add_argument("--slow", type=int, default=0, metavar="K",
                        help="Also print the K slowest distinct SQL statements of each page.")
    args = parser.parse_args(argv)

    if not args.debug:
        settings.DEBUG = False  # before the first template is rendered: no template debug, no query log
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    vendor = connection.vendor
    print(f"Database: {vendor} ({settings.DATABASES['default']['NAME']})")

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        print(f"The database has {len(pending)} unapplied migration(s) ({names}...): run `manage.py migrate` "
              "(`make bench` does).", file=sys.stderr)
        return 2
    if not Region.objects.filter(level=Region.Level.DISTRICT).exists():
        print("Region codes are not loaded: run `manage.py migrate` and `manage.py load_regions` (or `make bench`).",
              file=sys.stderr)
        return 2
    if not args.no_seed:
        t0 = time.perf_counter()
        call_command("seed", survivors=args.survivors, no_recovery=True, bulk=True)
        print(f"Seeding step: {time.perf_counter() - t0:.1f} s")

    spec = next((s for s in DEMO_ORGANISATIONS if s.key == args.org), None)
    if spec is None or not spec.manages_cases:
        print(f"--org {args.org!r} is not a case-managing demo organisation.", file=sys.stderr)
        return 2
    org = Organisation.objects.filter(name=spec.name).first()
    supervisor = User.objects.filter(username=f"{args.org}.supervisor").first()
    caseworker = User.objects.filter(username=f"{args.org}.caseworker1").first()
    if org is None or supervisor is None or caseworker is None:
        print("The demo organisation or its users are missing: run without --no-seed.", file=sys.stderr)
        return 2

    org_cases = Case.objects.filter(lead_organisation=org)
    own_cases = Case.objects.filter(team_members__user=caseworker)
    n_survivors, n_org, n_own = Survivor.objects.count(), org_cases.count(), own_cases.count()
    print(f"{n_survivors:,} survivors; {org.name}: {n_org:,} cases; {caseworker.username} is on {n_own:,} case teams.")
    case_ids = list(own_cases.order_by("-opened_at").values_list("id", flat=True)[: args.cases])
    if len(case_ids) < args.cases:
        case_ids += list(org_cases.exclude(id__in=case_ids).values_list("id", flat=True)[: args.cases - len(case_ids)])
    codes = list(own_cases.order_by("?").values_list("survivor__code", flat=True)[: args.repeat])
    codes = (codes * (args.repeat // max(1, len(codes)) + 1))[: args.repeat] if codes else []

    list_url = url_or_none("cases:list")
    detail_ok = bool(case_ids) and url_or_none("cases:detail", case_id=case_ids[0]) is not None
    missing_urls = [name for name, ok in (("cases:list", list_url), ("cases:detail", detail_ok)) if not ok]
    for name in missing_urls:
        print(f"ERROR: URL name {name!r} cannot be reversed: the page does not exist yet (or is named "
              f"differently). Expected `path(..., name={name.split(':')[1]!r})` in cases/urls.py"
              + (" with a `case_id` argument." if name == "cases:detail" else "."), file=sys.stderr)

    # A server error is counted as a status (and shown in the table), not raised.
    sup_client = login(Client(raise_request_exception=False), supervisor)
    cw_client = login(Client(raise_request_exception=False), caseworker)
    timezone.activate(org.time_zone)
    results: list[Result] = []
    runs: list[tuple[str, float, float | None, Client, Callable[[], list[str]], str]] = [
        ("caseload, supervisor", LIST_TARGET_MS, None, sup_client,
         lambda: [list_url or ""] * args.repeat, "" if list_url else "no URL cases:list"),
        ("caseload, caseworker", LIST_TARGET_MS, None, cw_client,
         lambda: [list_url or ""] * args.repeat, "" if list_url else "no URL cases:list"),
        ("caseload search ?q=code, caseworker", LIST_TARGET_MS, None, cw_client,
         lambda: [f"{list_url}?q={code}" for code in codes], "" if list_url else "no URL cases:list"),
        ("caseload search ?q=code, supervisor", LIST_TARGET_MS, None, sup_client,
         lambda: [f"{list_url}?q={code}" for code in codes], "" if list_url else "no URL cases:list"),
        (f"caseload ?status={CaseStatus.SERVICES}, supervisor", LIST_TARGET_MS, None, sup_client,
         lambda: [f"{list_url}?status={CaseStatus.SERVICES}"] * args.repeat, "" if list_url else "no URL cases:list"),
        (f"case file, caseworker ({len(case_ids)} cases)", FILE_TARGET_MS, FILE_TARGET_KB, cw_client,
         lambda: [reverse("cases:detail", kwargs={"case_id": cid}) for cid in case_ids],
         "" if detail_ok else "no URL cases:detail"),
    ]
    for page, target_ms, target_kb, client, urls, missing in runs:
        result = Result(page, target_ms, target_kb, missing=missing)
        if not missing:
            measure(result, client, urls())
        results.append(result)
        print(f"  measured {page}: {result.n} requests")

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    md = table(results)
    header = (
        f"# Sintas benchmark\n\n{timezone.now():%Y-%m-%d %H:%M} UTC; database {vendor}; {n_survivors:,} survivors; "
        f"{org.name}: {n_org:,} cases; caseworker on {n_own:,} case teams; DEBUG={settings.DEBUG}.\n"
        f"Server time is the whole request in-process (Django test client), SQL queries counted per request.\n\n"
    )
    footer = f"\n\nPeak RSS of the benchmark process: {rss_mb:.0f} MB.\n"
    print()
    print(md)
    print(footer.strip())
    if args.slow:
        for r in results:
            seen: set[str] = set()
            shown = 0
            print(f"\nSlowest queries, {r.page}:")
            for ms, sql in r.slowest:
                shape = sql[:120]
                if shape in seen:
                    continue
                seen.add(shape)
                print(f"  {ms:8.1f} ms  {sql[:400]}")
                shown += 1
                if shown >= args.slow:
                    break
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + md + footer, encoding="utf-8")
    print(f"Written to {out}")
    if missing_urls:
        return 2
    return 0 if all(r.met() for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
