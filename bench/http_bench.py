"""The case file and the caseload under HTTP load, side by side with the floor.

    DATABASE_URL=postgres://... .venv/bin/python bench/http_bench.py [--rounds 3] [--duration 20]
        [--connections 16] [--generator auto|wrk|python] [--no-seed] [--survivors 100000]

Starts two gunicorn servers with two sync workers each on the configured database: Sintas
(``sintas.wsgi``, DEBUG off) and the floor (``bench/floor.py``: a bare Django view with no
middleware that runs one indexed query and returns a small page). Then loads, one after the
other and alternating for ``--rounds`` rounds (floor, case file, caseload, floor, ...), each page
with the same generator and settings (16 connections, 20 s each):

* the floor: ``/floor/<case id>/`` over the rotating set of case ids;
* the case file: ``cases:detail`` over the same case ids, as a signed-in caseworker (a session
  cookie with the second factor passed);
* the caseload: ``cases:list``, as the same caseworker.

The generator is wrk when it is installed (``apt-get install wrk``; a Lua script rotates the
paths, sends the session cookie and counts every answer that is not 200), otherwise a Python
asyncio generator (slower itself, so its ratios come out lower; the table says which ran).

Prints a Markdown table (req/s, p50 and p99 of each page, its ratio to the floor: floor req/s /
page req/s, the median of the rounds' ratios) and writes it to var/bench-http.md. Goals: case
file within 4x, caseload within 3x of the floor. Exit status 1 when a goal is missed or any
answer was not 200, 2 when the data or a tool is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organisation, User  # noqa: E402
from bench.run import login  # noqa: E402
from cases.models import Case  # noqa: E402
from demo.staff import DEMO_ORGANISATIONS  # noqa: E402
from survivors.models import Survivor  # noqa: E402

GOALS = {"case file": 4.0, "caseload": 3.0}
WORKERS = 2


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad: int  # answers other than 200, and socket errors

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Page:
    name: str
    port: int
    paths: list[str]
    runs: list[Run] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_cookie(user: User) -> str:
    """A session of ``user`` with the second factor passed (as bench/run.py and conftest.login)."""
    client = login(Client(), user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def gunicorn_start(app: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    cmd = [str(Path(sys.executable).with_name("gunicorn")), app, "--workers", str(WORKERS), "--worker-class", "sync",
           "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--chdir", str(ROOT), "--error-logfile", str(log)]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)


def wait_ready(port: int, path: str, cookie: str, proc: subprocess.Popen[bytes]) -> None:
    """Until ``path`` answers 200 (not a redirect to the sign-in or second-factor step)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} exited with status {proc.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            status = conn.getresponse().status
        except OSError:
            time.sleep(0.3)
            continue
        finally:
            conn.close()
        if status != 200:
            raise SystemExit(f"{path} answered {status} on port {port}, not 200")
        return
    raise SystemExit(f"gunicorn on port {port} did not start within 60 s")


WRK_LUA = r"""
local paths = {%(paths)s}
local threads = {}
wrk.headers["Cookie"] = "%(cookie)s"
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; i = math.random(#paths) end
function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\n", summary.requests, summary.duration,
           latency:percentile(50), latency:percentile(99), b))
end
"""


def load_wrk(page: Page, cookie: str, *, connections: int, duration: int) -> Run:
    lua = WRK_LUA % {"paths": ", ".join(f'"{p}"' for p in page.paths), "cookie": cookie}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
        script = f.name
    try:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s",
                              "-s", script, f"http://127.0.0.1:{page.port}"],
                             capture_output=True, text=True, check=False)
    finally:
        os.unlink(script)
    m = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+)$", out.stdout, re.M)
    if not m:
        raise SystemExit(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")
    n, us, p50, p99, bad = (int(x) for x in m.groups())
    return Run(n, us / 1e6, p50 / 1000, p99 / 1000, bad)


async def _load_python(port: int, paths: list[str], cookie: str, connections: int, duration: float) -> Run:
    latencies: list[float] = []
    bad = 0
    deadline = time.perf_counter() + duration
    start = time.perf_counter()

    async def one(offset: int) -> None:
        nonlocal bad
        i = offset
        while time.perf_counter() < deadline:
            i = (i + 1) % len(paths)
            request = (f"GET {paths[i]} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                       "Connection: close\r\n\r\n").encode()
            t0 = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                await writer.drain()
                data = await reader.read()
                writer.close()
            except OSError:
                bad += 1
                continue
            latencies.append(time.perf_counter() - t0)
            if not data.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
                bad += 1

    await asyncio.gather(*(one(k * 7) for k in range(connections)))
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies) or [0.0]

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return Run(len(latencies), elapsed, pick(0.50), pick(0.99), bad)


def load_python(page: Page, cookie: str, *, connections: int, duration: int) -> Run:
    return asyncio.run(_load_python(page.port, page.paths, cookie, connections, duration))


def table(pages: Sequence[Page], generator: str) -> tuple[str, bool]:
    floor = pages[0]
    header = ["page", "req/s", "p50 ms", "p99 ms", "ratio to floor", "goal", "met?"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    ok = True
    for page in pages:
        rps = statistics.median(r.rps for r in page.runs)
        p50 = statistics.median(r.p50_ms for r in page.runs)
        p99 = statistics.median(r.p99_ms for r in page.runs)
        bad = sum(r.bad for r in page.runs)
        if page is floor:
            ratio, goal, met = "1.00", "–", "yes" if not bad else "no"
        else:
            ratios = [f.rps / r.rps if r.rps else float("inf") for f, r in zip(floor.runs, page.runs, strict=True)]
            value = statistics.median(ratios)
            ratio = f"{value:.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
            goal = f"within {GOALS[page.name]:.0f}x"
            met = "yes" if value <= GOALS[page.name] and not bad else "no"
        if bad:
            met += f" ({bad} answers not 200)"
        ok = ok and met == "yes"
        lines.append(f"| {page.name} | {rps:.1f} | {p50:.1f} | {p99:.1f} | {ratio} | {goal} | {met} |")
    return "\n".join(lines), ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="Alternating rounds (default 3).")
    parser.add_argument("--duration", type=int, default=20, help="Seconds of load per page and round (default 20).")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent connections (default 16).")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--cases", type=int, default=200, help="Different case ids in rotation (default 200).")
    parser.add_argument("--survivors", type=int, default=100_000, help="Synthetic survivors to have (default 100000).")
    parser.add_argument("--no-seed", action="store_true", help="Do not seed; measure what is in the database.")
    parser.add_argument("--org", default="ntt", help="Demo organisation key whose caseworker signs in (default ntt).")
    parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "bench-http.md"))
    args = parser.parse_args(argv)

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
        if generator == "python":
            print("wrk is not installed (apt-get install wrk): using the Python load generator, whose own cost "
                  "lowers the ratios.", file=sys.stderr)
    elif generator == "wrk" and not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk).", file=sys.stderr)
        return 2
    vendor = connection.vendor
    if vendor != "postgresql":
        print("note: the goals are for PostgreSQL (DATABASE_URL=postgres://...)", file=sys.stderr)
    if not args.no_seed:
        call_command("seed", survivors=args.survivors, no_recovery=True, bulk=True)
    spec = next((s for s in DEMO_ORGANISATIONS if s.key == args.org), None)
    org = Organisation.objects.filter(name=spec.name).first() if spec else None
    caseworker = User.objects.filter(username=f"{args.org}.caseworker1").first()
    if org is None or caseworker is None:
        print("The demo organisation or its caseworker is missing: run without --no-seed.", file=sys.stderr)
        return 2
    own = Case.objects.filter(team_members__user=caseworker).order_by("-opened_at")
    case_ids = [str(pk) for pk in own.values_list("id", flat=True)[: args.cases]]
    if not case_ids:
        print(f"{caseworker.username} is on no case team.", file=sys.stderr)
        return 2
    cookie = session_cookie(caseworker)
    n_survivors = Survivor.objects.count()
    connection.close()

    env = {**os.environ, "SINTAS_DEBUG": "0", "PYTHONPATH": str(ROOT)}
    log = Path(settings.VAR_DIR) / "bench-http-gunicorn.log"
    sintas_port, floor_port = free_port(), free_port()
    procs = [gunicorn_start("sintas.wsgi:application", sintas_port, env, log),
             gunicorn_start("bench.floor:application", floor_port, env, log)]
    pages = [
        Page("floor", floor_port, [f"/floor/{cid}/" for cid in case_ids]),
        Page("case file", sintas_port, [reverse("cases:detail", kwargs={"case_id": cid}) for cid in case_ids]),
        Page("caseload", sintas_port, [reverse("cases:list")]),
    ]
    load = load_wrk if generator == "wrk" else load_python
    try:
        for page in pages:
            wait_ready(page.port, page.paths[0], cookie, procs[0] if page.port == sintas_port else procs[1])
            load(page, cookie, connections=args.connections, duration=2)  # warm-up: imports, connections
        for rnd in range(1, args.rounds + 1):
            for page in pages:
                run = load(page, cookie, connections=args.connections, duration=args.duration)
                page.runs.append(run)
                print(f"  round {rnd}: {page.name:9} {run.rps:7.1f} req/s  p50 {run.p50_ms:6.1f} ms  "
                      f"p99 {run.p99_ms:6.1f} ms" + (f"  {run.bad} not 200" if run.bad else ""), flush=True)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)

    md, ok = table(pages, generator)
    header = (
        f"# Sintas under HTTP load, against the floor\n\n{timezone.now():%Y-%m-%d %H:%M} UTC; database {vendor}; "
        f"{n_survivors:,} survivors; gunicorn, {WORKERS} sync workers; {generator}, {args.connections} connections, "
        f"{args.duration} s per page and round, {args.rounds} rounds alternating (floor, case file, caseload); "
        f"signed in as {caseworker.username}, {len(case_ids)} case ids in rotation.\n"
        "req/s, p50 and p99 are the medians of the rounds; the ratio is floor req/s / page req/s, the median "
        "of the rounds (range in brackets).\n\n"
    )
    print()
    print(md)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + md + "\n", encoding="utf-8")
    print(f"Written to {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
