"""Profile the case file and the caseload in-process (cProfile), as a signed-in caseworker.

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_pages.py [--page case_file|caseload]
        [--requests 200] [--top 40] [--sort cumulative|tottime]

Uses the data ``bench/run.py`` or ``bench/http_bench.py`` seeded (nothing is added), DEBUG off,
the whole request through the Django test client (middleware, view, queries, templates). Prints
the top functions and the split between SQL (time inside the database cursor) and Python.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
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
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.run import login  # noqa: E402
from cases.models import Case  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=("case_file", "caseload"), default="case_file")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--user", default="ntt.caseworker1")
    args = parser.parse_args(argv)
    settings.DEBUG = False
    user = User.objects.get(username=args.user)
    client = login(Client(), user)
    ids = list(Case.objects.filter(team_members__user=user).order_by("-opened_at").values_list("id", flat=True)[:200])
    urls = ([reverse("cases:detail", kwargs={"case_id": cid}) for cid in ids] if args.page == "case_file"
            else [reverse("cases:list")])
    for url in urls[:5]:
        assert client.get(url).status_code == 200
    sql_s = 0.0

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal sql_s
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_s += time.perf_counter() - t0

    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    with connection.execute_wrapper(timed):
        profiler.enable()
        for i in range(args.requests):
            client.get(urls[i % len(urls)])
        profiler.disable()
    wall = time.perf_counter() - t0
    print(f"{args.page}: {args.requests} requests, {wall / args.requests * 1000:.1f} ms each (profiled), "
          f"SQL {sql_s / args.requests * 1000:.1f} ms each")
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
