"""A database restart loses no acknowledged write, and users see the 503 page while it is down.

Runs ``bench/load.py restart`` (its own temporary PostgreSQL cluster: initdb into a temporary
directory, a free port, removed at the end; never the configured server). Only on the PostgreSQL
run (DATABASE_URL=postgres://...) and where the PostgreSQL server binaries are installed
(/usr/lib/postgresql/*/bin, or SINTAS_PG_BIN); skipped otherwise, with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import pg_bin  # noqa: E402


@pytest.mark.skipif(pg_bin() is None, reason="the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
def test_a_database_restart_loses_no_acknowledged_write_and_shows_the_503_page() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the database-restart test runs on the PostgreSQL run only (DATABASE_URL=postgres://...)")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "restart"], cwd=ROOT,
                          env={**os.environ}, capture_output=True, text=True, timeout=600, check=False)
    out = done.stdout + done.stderr
    assert "lost: 0" in done.stdout, out[-4000:]
    assert done.returncode == 0, out[-4000:]
