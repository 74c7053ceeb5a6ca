"""Settings fail closed: production passes Django's deployment checks and refuses to start without
secrets or Redis, an unknown SINTAS_ENV refuses to start, and var/ is private (0700, files 0600)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
# Variables of the machine running the tests that would change what the child process sees.
_OWN_VARIABLES = ("SINTAS_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")


def _run(env: dict[str, str], var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The settings alone, on SQLite: the database role's deploy check is tested in audit/tests/test_roles.py.
    base = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_VARIABLES)}
    base.update({"SINTAS_VAR_DIR": str(var_dir), **env})
    # umask 022, as from an ordinary login shell (this test process already runs with Sintas's own)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=300, umask=0o022)


def _production(**extra: str) -> dict[str, str]:
    return {
        "SINTAS_ENV": "production",
        "SINTAS_SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-check-0123456789",
        "SINTAS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SINTAS_HASH_KEY": "hash-key-for-the-check",
        "SINTAS_TRAIL_KEY": "trail-key-for-the-check",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = _run(_production(), tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_keys(tmp_path: Path) -> None:
    result = _run({"SINTAS_ENV": "production", "REDIS_URL": "redis://127.0.0.1:6379/0"}, tmp_path, "check")
    assert result.returncode != 0
    assert "SINTAS_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secrets").exists()  # nothing generated in production


@pytest.mark.parametrize("value", ["prod", "Production", "staging", "test", ""])
def test_an_unknown_sintas_env_refuses_to_start(tmp_path: Path, value: str) -> None:
    var = tmp_path / "var"
    result = _run({"SINTAS_ENV": value}, var, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"SINTAS_ENV={value!r} is not understood: use one of development, production" in result.stderr
    assert not var.exists()  # refused before anything was written: no generated keys, no database


def test_development_is_the_default_and_can_be_named(tmp_path: Path) -> None:
    assert _run({}, tmp_path / "a", "check").returncode == 0
    result = _run({"SINTAS_ENV": "development"}, tmp_path / "b", "check")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b" / "secrets" / "secret_key").exists()


@pytest.mark.parametrize("broker", [None, "amqp://guest@127.0.0.1:5672//"])
def test_production_without_redis_refuses_to_start(tmp_path: Path, broker: str | None) -> None:
    env = _production()
    del env["REDIS_URL"]
    if broker:
        env["CELERY_BROKER_URL"] = broker  # a broker alone leaves the rate-limit cache per process
    result = _run(env, tmp_path / "var", "check")
    assert result.returncode != 0
    assert "SINTAS_ENV=production needs REDIS_URL" in result.stderr
    assert not (tmp_path / "var").exists()


def test_production_refuses_debug(tmp_path: Path) -> None:
    result = _run(_production(SINTAS_DEBUG="1"), tmp_path, "check")
    assert result.returncode != 0
    assert "SINTAS_DEBUG cannot be on with SINTAS_ENV=production" in result.stderr


def test_a_misspelt_yes_no_setting_refuses_to_start(tmp_path: Path) -> None:
    result = _run(_production(SINTAS_SECURE_COOKIES="ture"), tmp_path, "check")
    assert result.returncode != 0
    assert "SINTAS_SECURE_COOKIES='ture' is not a yes/no value" in result.stderr


def test_var_is_private_after_setting_up(tmp_path: Path) -> None:
    """`make migrate` on a fresh checkout: the SQLite file, the generated keys and every directory
    are the account's own (0600 and 0700), never readable by other users of the machine."""
    var = tmp_path / "var"
    result = _run({}, var, "migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr
    modes = _modes(var)
    assert {"secrets/secret_key", "secrets/encryption_keys", "secrets/hash_key", "sintas.sqlite3"} <= set(modes)
    assert (var / "sintas.sqlite3").stat().st_size > 0  # the real database, migrated
    for name, mode in modes.items():
        expected = 0o700 if (var / name).is_dir() else 0o600
        assert mode == expected, f"{name} is {mode:o}"


def test_files_the_rooms_write_under_var_are_private(tmp_path: Path) -> None:
    """A periodic report is written the way monitoring writes it (mkdir, write_bytes), with no mode
    of its own: it is 0600 in a 0700 directory all the same."""
    var = tmp_path / "var"
    script = ("from monitoring import conf; d = conf.reports_dir(); d.mkdir(parents=True, exist_ok=True); "
              "(d / '1.pdf').write_bytes(b'%PDF')")
    result = _run({}, var, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((var / "reports").stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "reports" / "1.pdf").stat().st_mode) == 0o600


def test_an_older_open_var_is_tightened_and_keeps_its_keys(tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "secrets").mkdir(parents=True)
    (var / "reports").mkdir()
    for path in (var, var / "secrets", var / "reports"):
        path.chmod(0o755)
    (var / "secrets" / "secret_key").write_text("an-older-checkout-key-" + "x" * 40 + "\n")
    (var / "sintas.sqlite3").write_bytes(b"")
    (var / "reports" / "1.pdf").write_bytes(b"%PDF")
    for path in (var / "secrets" / "secret_key", var / "sintas.sqlite3", var / "reports" / "1.pdf"):
        path.chmod(0o644)
    result = _run({}, var, "check")
    assert result.returncode == 0, result.stderr
    for name, mode in _modes(var).items():
        expected = 0o700 if (var / name).is_dir() else 0o600
        assert mode == expected, f"{name} is {mode:o}"
    assert (var / "secrets" / "secret_key").read_text().startswith("an-older-checkout-key-")


def test_a_shared_var_dir_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    result = _run({}, shared, "check")
    assert result.returncode != 0
    assert "is a shared directory" in result.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
