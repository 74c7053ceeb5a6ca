"""Production settings pass Django's deployment checks, and refuse to start without secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def _run(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The settings alone, on SQLite: the database role's deploy check is tested in audit/tests/test_roles.py.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SINTAS_", "DJANGO_")) and k != "DATABASE_URL"}
    base.update({"SINTAS_VAR_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=120)


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = _run({
        "SINTAS_ENV": "production",
        "SINTAS_SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-check-0123456789",
        "SINTAS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SINTAS_HASH_KEY": "hash-key-for-the-check",
        "SINTAS_TRAIL_KEY": "trail-key-for-the-check",
    }, tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_keys(tmp_path: Path) -> None:
    result = _run({"SINTAS_ENV": "production"}, tmp_path, "check")
    assert result.returncode != 0
    assert "SINTAS_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secrets").exists()  # nothing generated in production
