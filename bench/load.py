"""Load and fault tests against gunicorn: simulated caseworkers, and a database restart.

    DATABASE_URL=postgres://... .venv/bin/python bench/load.py load [--users 30] [--duration 180]
    .venv/bin/python bench/load.py restart

``load``: 30 simulated users (caseworkers of every case-managing demo organisation, one session
each) work for three minutes against gunicorn (two sync workers) on the configured database:
each, with a pause of 0.3-1.5 s between steps, opens the caseload, a case file of one of their
cases, records a service delivery there (the form is fetched, filled and posted) and searches
the caseload by a survivor code (by the caseload's own search form, GET or POST). The demo data
is seeded when missing (``--survivors``). Prints the requests, errors, p50 and p95 per step and
overall; exit status 1 on any error (an answer other than the expected one, or a socket error).

``restart``: on its own temporary PostgreSQL cluster (initdb from the PostgreSQL server binaries,
``SINTAS_PG_BIN`` or /usr/lib/postgresql/*/bin, into a temporary directory, on a free port, run
as the postgres OS user when started as root; never the machine's own cluster; removed at the
end) with a few seeded survivors, gunicorn serves Sintas while writers post service deliveries,
each with its own marker in the outcome note. The cluster is stopped (fast shutdown), kept down
for a few seconds while the writes and page requests go on, and started again. Checks:

* every write the application acknowledged (answered with the redirect after saving) is in the
  database after the restart: 0 acknowledged writes lost;
* every request made while the database was down was answered 503 with a ``Retry-After`` header
  and the service-unavailable page (``class="service-unavailable"``), none with a 500;
* after the restart the application answers again by itself (pages 200, writes saved).

Requests that were in flight while the cluster was stopping or starting are counted apart and
reported, not judged.

Exit status 0 when all hold, 1 otherwise, 2 when the PostgreSQL server binaries are missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import http.client
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORKERS = 2


# --- a small HTTP client: one session (cookies) per simulated user -------------------------


class FormParser(HTMLParser):
    """The forms of a page: method, action and the values a browser would submit unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "action": a.get("action", ""),
                               "fields": {}, "names": set(), "options": {}})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        fields: dict[str, str] = form["fields"]  # type: ignore[assignment]
        names: set[str] = form["names"]  # type: ignore[assignment]
        if tag == "input" and a.get("name"):
            names.add(a["name"])
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and a.get("name"):
            self._select, self._first_option = a["name"], None
            names.add(a["name"])
        elif tag == "option" and self._select:
            value = a.get("value", "")
            options: dict[str, list[str]] = form["options"]  # type: ignore[assignment]
            options.setdefault(self._select, []).append(value)
            if "selected" in a:
                fields[self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            names.add(a["name"])
            fields.setdefault(a["name"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


class Session:
    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, data: dict[str, str] | None = None, timeout: float = 60) -> Answer:
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close",
                   "Referer": f"http://127.0.0.1:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()
        elapsed = time.perf_counter() - t0
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, text, elapsed)


def forms_of(html: str) -> list[dict[str, object]]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# --- servers, data and sessions -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], workers: int = WORKERS) -> Iterator[int]:
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"sintas-load-gunicorn-{port}.log"
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "sintas.wsgi:application", "--workers", str(workers),
           "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--error-logfile", str(log)]
    log_file = open(log, "ab")  # noqa: SIM115 (closed in finally); Django's own errors land here too
    proc = subprocess.Popen(cmd, env={**env, "SINTAS_DEBUG": "0", "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                            start_new_session=True, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {proc.returncode}; see {log}")
            try:
                if Session(port).request("GET", "/accounts/login/", timeout=10).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start within 60 s; see {log}")
            time.sleep(0.3)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log_file.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


@dataclass
class Worker:
    username: str
    cookie: str  # "sessionid=..."
    cases: list[tuple[str, str]]  # (case id, survivor code): open cases on the user's team


def workers_prepare(env: dict[str, str], n_users: int, survivors: int, seed: bool) -> list[Worker]:
    """In a child process (the configured database): seed when asked, sign in caseworkers of every
    case-managing organisation with the second factor passed, and list their open cases."""
    script = f"""
import json, os, sys
sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")
import django; django.setup()
from django.core.management import call_command
from django.test import Client
from accounts.models import User
from bench.run import login
from cases.models import Case, CaseStatus
from demo.staff import DEMO_ORGANISATIONS
if {seed!r}:
    call_command("seed", survivors={survivors}, no_recovery=True, bulk=True, verbosity=0)
orgs = [s.key for s in DEMO_ORGANISATIONS if s.manages_cases]
from care.models import OrganisationService
from care.services import organisation_services_set
for key in orgs:  # a delivery needs a service the organisation provides: the admin sets three when none
    admin = User.objects.filter(username=f"{{key}}.admin").first()
    if admin is not None and not OrganisationService.objects.filter(organisation_id=admin.organisation_id).exists():
        organisation_services_set(actor=admin, service_codes=["medical_care", "legal_aid", "psychological_support"])
users = []
for i in range(1, 100):
    for key in orgs:
        u = User.objects.filter(username=f"{{key}}.caseworker{{i}}").first()
        if u is not None:
            users.append(u)
out = []
for k in range({n_users}):
    u = users[k % len(users)]
    cases = list(Case.objects.filter(team_members__user=u).exclude(status=CaseStatus.CLOSED)
                 .order_by("-opened_at").values_list("id", "survivor__code")[:50])
    if not cases:
        continue
    client = login(Client(), u)
    out.append({{"username": u.username, "cookie": "sessionid=" + client.cookies["sessionid"].value,
                "cases": [[str(a), b] for a, b in cases]}})
print("WORKERS " + json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WORKERS ")), "")
    if done.returncode or not line:
        raise SystemExit(f"could not prepare the users:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return [Worker(w["username"], w["cookie"], [tuple(c) for c in w["cases"]]) for w in json.loads(line[8:])]


def session_for(worker: Worker, port: int) -> Session:
    key, _, value = worker.cookie.partition("=")
    return Session(port, {key: value})


def delivery_post(session: Session, case_id: str, note: str, today: str) -> tuple[Answer, Answer | None]:
    """Fetch the new-delivery form, fill it and record the delivery. Returns (form page, post answer)."""
    path = f"/cases/{case_id}/services/new/"
    page = session.request("GET", path)
    if page.status != 200:
        return page, None
    form = next((f for f in forms_of(page.body) if "outcome_note" in f["names"]), None)  # type: ignore[operator]
    if form is None:
        return page, None
    data = dict(form["fields"])  # type: ignore[call-overload]
    options: dict[str, list[str]] = form["options"]  # type: ignore[assignment]
    services = [v for v in options.get("service", []) if v]
    if not services:
        return page, None
    data.update({"service": data.get("service") or services[0], "delivered_on": today, "outcome_note": note,
                 "action": "record"})
    return page, session.request("POST", str(form["action"]) or path, data)


# --- load ---------------------------------------------------------------------------------


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times.setdefault(step, []).append(seconds)
            if error:
                self.errors.setdefault(step, []).append(error)


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000 if ordered else 0.0


def user_loop(worker: Worker, port: int, deadline: float, stats: Stats, today: str, rng: random.Random) -> None:
    session = session_for(worker, port)

    def step(name: str, call: Callable[[], Answer], expect: int = 200) -> Answer | None:
        try:
            answer = call()
        except OSError as exc:
            stats.add(name, 0.0, f"{type(exc).__name__}: {exc}")
            return None
        stats.add(name, answer.seconds, "" if answer.status == expect else f"status {answer.status}")
        return answer

    while time.monotonic() < deadline:
        case_id, code = rng.choice(worker.cases)
        caseload = step("caseload", lambda: session.request("GET", "/cases/"))
        time.sleep(rng.uniform(0.3, 1.5))
        step("case file", lambda: session.request("GET", f"/cases/{case_id}/"))  # noqa: B023
        time.sleep(rng.uniform(0.3, 1.5))
        try:
            page, saved = delivery_post(session, case_id, f"load {uuid.uuid4()}", today)
        except OSError as exc:
            stats.add("delivery saved", 0.0, f"{type(exc).__name__}: {exc}")
        else:
            stats.add("delivery form", page.seconds, "" if page.status == 200 else f"status {page.status}")
            if saved is None:
                stats.add("delivery saved", 0.0, "no delivery form with a service to choose")
            else:
                ok = saved.status == 302 and "/services/" in saved.headers.get("location", "")
                stats.add("delivery saved", saved.seconds, "" if ok else f"status {saved.status}")
        time.sleep(rng.uniform(0.3, 1.5))
        search = next((f for f in forms_of(caseload.body) if "q" in f["names"]), None) if caseload else None  # type: ignore[operator]
        if search is None:
            stats.add("search", 0.0, "no search form on the caseload")
        else:
            fields = {**dict(search["fields"]), "q": code}  # type: ignore[call-overload]
            action = str(search["action"]) or "/cases/"
            if search["method"] == "post":
                step("search", lambda: session.request("POST", action, fields))  # noqa: B023
            else:
                step("search", lambda: session.request("GET", f"{urlsplit(action).path}?{urlencode(fields)}"))  # noqa: B023
        time.sleep(rng.uniform(0.3, 1.5))


def stats_table(stats: Stats, seconds: float) -> str:
    lines = ["| step | requests | req/s | errors | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
    every: list[float] = []
    for name, times in stats.times.items():
        every += [t for t in times if t]
        lines.append(f"| {name} | {len(times)} | {len(times) / seconds:.1f} | {len(stats.errors.get(name, []))} | "
                     f"{pct(times, 0.5):.0f} | {pct(times, 0.95):.0f} |")
    n_err = sum(len(v) for v in stats.errors.values())
    lines.append(f"| all | {len(every)} | {len(every) / seconds:.1f} | {n_err} | {pct(every, 0.5):.0f} | "
                 f"{pct(every, 0.95):.0f} |")
    return "\n".join(lines)


def load(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        print("note: the load test is meant for PostgreSQL (DATABASE_URL=postgres://...)", file=sys.stderr)
    workers = workers_prepare(env, args.users, args.survivors, not args.no_seed)
    if not workers:
        print("No caseworker with open cases: seed first.", file=sys.stderr)
        return 2
    orgs = sorted({w.username.split(".")[0] for w in workers})
    print(f"{len(workers)} users of {len(orgs)} organisations ({', '.join(orgs)}), {args.duration} s, "
          f"gunicorn {args.workers} workers")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    stats = Stats()
    with gunicorn(env, args.workers) as port:
        t0 = time.monotonic()
        deadline = t0 + args.duration
        threads = [threading.Thread(target=user_loop, args=(w, port, deadline, stats, today, random.Random(i)))
                   for i, w in enumerate(workers)]
        for t in threads:
            t.start()
            time.sleep(0.05)
        for t in threads:
            t.join()
        seconds = time.monotonic() - t0
    md = stats_table(stats, seconds)
    print(md)
    for name, errs in stats.errors.items():
        print(f"errors in {name}: {len(errs)}, e.g. {errs[:3]}", file=sys.stderr)
    every = [t for times in stats.times.values() for t in times if t]
    n_err = sum(len(v) for v in stats.errors.values())
    print(f"p95 {pct(every, 0.95):.0f} ms over {len(every)} requests, {n_err} errors")
    out = ROOT / "var" / "bench-load.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"# Load: {len(workers)} users, {args.duration} s\n\n{md}\n", encoding="utf-8")
    return 0 if n_err == 0 else 1


# --- restart ------------------------------------------------------------------------------


def pg_bin() -> Path | None:
    if os.environ.get("SINTAS_PG_BIN"):
        candidates = [os.environ["SINTAS_PG_BIN"]]
    else:
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in candidates:
        if (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


class TempCluster:
    """A PostgreSQL cluster of its own in a temporary directory, on a free port."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="sintas-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o700)

    def run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bindir / cmd[0]), *cmd[1:]]
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, check=check, cwd=self.dir)

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = "
                       f"'{self.dir}'\nfsync = on\nmax_connections = 50\n")
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "sintas")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/sintas"

    def remove(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Observed:
    phase: str  # "up", "down", "back", "edge" (a request that spanned a stop or a start)
    status: int
    retry_after: bool
    page_503: bool
    kind: str


def restart(args: argparse.Namespace) -> int:
    bindir = pg_bin()
    if bindir is None:
        print("The PostgreSQL server binaries (initdb, pg_ctl) are not installed: set SINTAS_PG_BIN.",
              file=sys.stderr)
        return 2
    cluster = TempCluster(bindir)
    print(f"temporary cluster {cluster.data} on port {cluster.port} ({bindir})")
    try:
        t0 = time.monotonic()
        cluster.init()
        print(f"  initdb and start: {time.monotonic() - t0:.0f} s")
        env = {**os.environ, "DATABASE_URL": cluster.url()}
        manage(env, "migrate", "--noinput", "-v0")
        print(f"  migrate: {time.monotonic() - t0:.0f} s")
        manage(env, "load_regions")
        print(f"  regions: {time.monotonic() - t0:.0f} s")
        workers = workers_prepare(env, args.writers, args.survivors, True)
        print(f"cluster, schema and {args.survivors} survivors ready in {time.monotonic() - t0:.0f} s; "
              f"{len(workers)} writers")
        return _restart_run(cluster, env, workers, args)
    finally:
        cluster.remove()


def _restart_run(cluster: TempCluster, env: dict[str, str], workers: list[Worker], args: argparse.Namespace) -> int:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    acked: list[str] = []
    observed: list[Observed] = []
    lock = threading.Lock()
    state = {"phase": "up", "stop": False}
    edges: list[tuple[float, float | None]] = []  # (from, to) monotonic times while the cluster was stopping/starting

    def phase_of(t_start: float, t_end: float) -> str:
        for a, b in edges:
            if t_start <= (b if b is not None else math.inf) and t_end >= a:
                return "edge"
        return str(state["phase"])

    def writer(worker: Worker, port: int, rng: random.Random) -> None:
        session = session_for(worker, port)
        form_data: dict[str, str] | None = None
        while not state["stop"]:
            case_id, _code = rng.choice(worker.cases)
            note = f"restart {uuid.uuid4()}"
            t_start = time.monotonic()
            try:
                page, saved = delivery_post(session, case_id, note, today)
                if saved is None and form_data is not None and page.status >= 500:
                    # the form page is down too: post the values a user already had on screen
                    saved = session.request("POST", f"/cases/{form_data['case']}/services/new/",
                                            {**form_data, "outcome_note": note})
                    case_id = form_data["case"]
                elif saved is not None and saved.status == 302:
                    form = next(f for f in forms_of(page.body) if "outcome_note" in f["names"])  # type: ignore[operator]
                    services = [v for v in form["options"].get("service", []) if v]  # type: ignore[attr-defined]
                    form_data = {**dict(form["fields"]), "service": services[0], "delivered_on": today,  # type: ignore[call-overload]
                                 "action": "record", "case": case_id}
            except OSError:
                continue
            t_end = time.monotonic()
            with lock:
                phase = phase_of(t_start, t_end)
                for answer, kind in ((page, "form"), (saved, "write")):
                    if answer is None:
                        continue
                    observed.append(Observed(phase, answer.status, "retry-after" in answer.headers,
                                             'service-unavailable' in answer.body, kind))
                if saved is not None and saved.status == 302 and "/services/" in saved.headers.get("location", ""):
                    acked.append(note)
            time.sleep(0.05)

    def reader(worker: Worker, port: int, rng: random.Random) -> None:
        session = session_for(worker, port)
        while not state["stop"]:
            case_id, _code = rng.choice(worker.cases)
            t_start = time.monotonic()
            try:
                answer = session.request("GET", f"/cases/{case_id}/")
            except OSError:
                continue
            with lock:
                observed.append(Observed(phase_of(t_start, time.monotonic()), answer.status,
                                         "retry-after" in answer.headers,
                                         'service-unavailable' in answer.body, "page"))
            time.sleep(0.05)

    def wait_for_write(phase: str, timeout: float = 60) -> None:
        """Until a write was saved in this phase (the first requests of a cold worker are slow)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with lock:
                if any(o.phase == phase and o.kind == "write" and o.status == 302 for o in observed):
                    return
            time.sleep(0.2)

    with gunicorn(env) as port:
        threads = [threading.Thread(target=writer, args=(w, port, random.Random(i))) for i, w in enumerate(workers)]
        threads += [threading.Thread(target=reader, args=(workers[0], port, random.Random(99)))]
        for t in threads:
            t.start()
        wait_for_write("up")
        time.sleep(args.up)
        with lock:
            edges.append((time.monotonic(), None))
        cluster.stop()
        time.sleep(0.5)
        with lock:
            edges[-1] = (edges[-1][0], time.monotonic())
            state["phase"] = "down"
        time.sleep(args.down)
        with lock:
            edges.append((time.monotonic(), None))
        cluster.start()
        time.sleep(1.0)  # connections made before the stop are found broken and replaced
        with lock:
            edges[-1] = (edges[-1][0], time.monotonic())
            state["phase"] = "back"
        wait_for_write("back")
        time.sleep(args.up)
        state["stop"] = True
        for t in threads:
            t.join()

    found = _notes_present(env, acked)
    lost = [n for n in acked if n not in found]
    by_phase: dict[str, list[Observed]] = {}
    for o in observed:
        by_phase.setdefault(o.phase, []).append(o)
    failures: list[str] = []
    for phase in ("up", "down", "back", "edge"):
        obs = by_phase.get(phase, [])
        statuses: dict[int, int] = {}
        for o in obs:
            statuses[o.status] = statuses.get(o.status, 0) + 1
        print(f"  {phase:5}: {len(obs)} answers, status " + ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items())))
        if phase in ("up", "back"):
            bad = [o for o in obs if o.status not in (200, 302)]
            if bad:
                failures.append(f"{len(bad)} answers other than 200/302 while the database was {phase}")
            if not any(o.kind == "write" and o.status == 302 for o in obs):
                failures.append(f"no write was saved while the database was {phase}")
        elif phase == "down":
            if not obs:
                failures.append("no request was made while the database was down")
            bad = [o for o in obs if not (o.status == 503 and o.retry_after and o.page_503)]
            if bad:
                failures.append(f"{len(bad)} of {len(obs)} answers while the database was down were not the 503 page "
                                f"with Retry-After (status {sorted({o.status for o in bad})})")
        else:  # requests that spanned the stop or the start: reported, not judged
            bad = [o for o in obs if o.status not in (200, 302) and not (o.status == 503 and o.retry_after)]
            if bad:
                print(f"  note: {len(bad)} answers around the stop or start were neither a success nor the 503 "
                      f"page (status {sorted({o.status for o in bad})})")
    print(f"acknowledged writes: {len(acked)}, found after the restart: {len(acked) - len(lost)}, lost: {len(lost)}")
    if lost:
        failures.append(f"{len(lost)} acknowledged writes lost, e.g. {lost[:3]}")
    for f in failures:
        print("FAILED: " + f, file=sys.stderr)
    print("restart test: " + ("passed" if not failures else "FAILED"))
    return 0 if not failures else 1


def _notes_present(env: dict[str, str], notes: list[str]) -> set[str]:
    script = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")
import django; django.setup()
from care.models import ServiceDelivery
for note in ServiceDelivery.objects.filter(outcome_note__startswith="restart ").values_list("outcome_note", flat=True):
    print("NOTE " + note)
"""
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True)
    present = {ln[5:] for ln in done.stdout.splitlines() if ln.startswith("NOTE ")}
    return {n for n in notes if n in present}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_load = sub.add_parser("load", help="30 simulated caseworkers for three minutes")
    p_load.add_argument("--users", type=int, default=30)
    p_load.add_argument("--duration", type=int, default=180, help="Seconds (default 180).")
    p_load.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers (default 2).")
    p_load.add_argument("--survivors", type=int, default=2000, help="Seed up to this many when missing.")
    p_load.add_argument("--no-seed", action="store_true")
    p_restart = sub.add_parser("restart", help="database restart on a temporary cluster")
    p_restart.add_argument("--writers", type=int, default=4)
    p_restart.add_argument("--survivors", type=int, default=30)
    p_restart.add_argument("--up", type=float, default=4.0, help="Seconds of work before the stop and after.")
    p_restart.add_argument("--down", type=float, default=5.0, help="Seconds the database stays down.")
    args = parser.parse_args(argv)
    return load(args) if args.command == "load" else restart(args)


if __name__ == "__main__":
    sys.exit(main())
