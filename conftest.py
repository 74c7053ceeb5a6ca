"""Personas for every test: two organisations with every role in each, and an outsider.

    org A "UPTD PPA Kota Kupang" (NTT, WITA)      org B "Dinas Sosial Kota Surabaya" (Jawa Timur, WIB)
    a_caseworker   lead of case_a                 b_caseworker   lead of case_b
    a_caseworker2  same org, not on case_a's team b_caseworker2
    a_supervisor                                  b_supervisor
    a_psychologist on case_a's team               b_psychologist on case_b's team
    a_health, a_legal, a_livelihood (not on team)  b_health, b_legal, b_livelihood
    a_me (M&E officer), a_admin (org admin)       b_me, b_admin
    platform (platform administrator, no organisation)
    outsider (caseworker of a third organisation, NGO in NTB)

Every persona has a confirmed TOTP device; ``login(client, user)`` signs in with the second factor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, Role, RoleAssignment, User
from core.models import Region
from core.regions import regions_load

PASSWORD = "uji-Sintas-2026!"

_TRAVELLER = pytest.StashKey[Any]()


def pytest_configure(config: pytest.Config) -> None:
    """``SINTAS_TEST_NOW`` (an ISO instant) starts the whole suite's clock there, ticking on.

    CI runs the suite once at a late-evening UTC instant, when the date in the organisations'
    zones (WIB, WITA, WIT) is already tomorrow, so a test that mixes a local date with a UTC
    date fails in CI rather than on somebody's fresh clone at 17:00 UTC. Tests that depend on
    "today" freeze it themselves with the ``time_machine`` fixture."""
    import os

    instant = os.environ.get("SINTAS_TEST_NOW", "").strip()
    if instant:
        import time_machine

        moment = dt.datetime.fromisoformat(instant)
        if moment.tzinfo is None:
            raise pytest.UsageError("SINTAS_TEST_NOW needs a UTC offset, e.g. 2026-12-06T22:50:00+00:00")
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.stash[_TRAVELLER] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


ROLE_PERSONAS = {
    "caseworker": [Role.CASEWORKER],
    "caseworker2": [Role.CASEWORKER],
    "supervisor": [Role.SUPERVISOR],
    "psychologist": [Role.PSYCHOLOGIST],
    "health": [Role.HEALTH_WORKER],
    "legal": [Role.LEGAL_OFFICER],
    "livelihood": [Role.LIVELIHOOD_OFFICER],
    "me": [Role.ME_OFFICER],
    "admin": [Role.ORG_ADMIN],
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Region codes, loaded once into the test database."""
    with django_db_blocker.unblock():
        regions_load()


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any) -> None:
    # Argon2 is deliberately slow; personas are many. Login tests check Argon2 separately.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rule_cache() -> None:
    """Each test reads the time-limit rules of its own database (not those cached by another)."""
    from care.clocks import rules_cache_clear

    rules_cache_clear()


@pytest.fixture(autouse=True)
def regions(db: Any) -> None:
    """Reload the reference data that migrations load (regions, instruments, the service
    catalogue) after a test that flushed the database (the browser tests do)."""
    from care.catalogue import catalogue_sync
    from care.models import Service, TimeLimitRule
    from recovery.instruments import instruments_load
    from recovery.models import Instrument

    if not Region.objects.filter(code="53.71").exists():
        regions_load()
    if not Instrument.objects.exists():
        instruments_load()
    if not Service.objects.exists():
        catalogue_sync(Service, TimeLimitRule)


def make_user(username: str, org: Organisation | None, roles: Sequence[str], **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, organisation=org,
                                    first_name=username.replace("_", " ").title(), **extra)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def login(client: Client, user: User) -> Client:
    """Sign in with password and second factor already passed."""
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class Personas:
    org_a: Organisation
    org_b: Organisation
    org_c: Organisation
    users: dict[str, User]
    case_a: Any
    case_b: Any

    def __getattr__(self, name: str) -> User:
        users: dict[str, User] = self.__dict__["users"]
        try:
            return users[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def register_case(actor: User, *, name: str = "Sari Wulandari", sex: str = "female",
                  birth_date: dt.date | None = dt.date(1999, 4, 12), nik: str = "", **extra: Any) -> Any:
    from survivors.services import RegistrationInput, survivor_register

    data = RegistrationInput(
        full_name=name,
        sex=sex,
        birth_date=birth_date,
        nik=nik,
        identified_on=dt.date(2026, 3, 2),
        channel="police",
        phone_numbers="+6281234567890",
        address="Jl. Melati No. 5, Oebobo",
        origin_province="53",
        origin_regency="53.71",
        **extra,
    )
    return survivor_register(actor=actor, data=data)


@pytest.fixture
def personas(db: Any) -> Personas:
    from cases.models import CaseTeamMember

    org_a = Organisation.objects.create(name="UPTD PPA Kota Kupang", kind="uptd_ppa", region_id="53.71",
                                        time_zone="Asia/Makassar")
    org_b = Organisation.objects.create(name="Dinas Sosial Kota Surabaya", kind="dinas_sosial", region_id="35.78",
                                        time_zone="Asia/Jakarta")
    org_c = Organisation.objects.create(name="Yayasan Pelangi NTB", kind="ngo", region_id="52.71",
                                        time_zone="Asia/Makassar")
    users: dict[str, User] = {}
    for prefix, org in (("a", org_a), ("b", org_b)):
        for key, roles in ROLE_PERSONAS.items():
            users[f"{prefix}_{key}"] = make_user(f"{prefix}_{key}", org, roles)
    users["platform"] = make_user("platform", None, [], is_platform_admin=True)
    users["outsider"] = make_user("outsider", org_c, [Role.CASEWORKER])
    case_a = register_case(users["a_caseworker"], nik="5371015204990001")
    case_b = register_case(users["b_caseworker"], name="Budi Santoso", sex="male", birth_date=dt.date(1988, 7, 1),
                           nik="3578010107880002")
    CaseTeamMember.objects.create(case=case_a, user=users["a_psychologist"])
    CaseTeamMember.objects.create(case=case_b, user=users["b_psychologist"])
    return Personas(org_a=org_a, org_b=org_b, org_c=org_c, users=users, case_a=case_a, case_b=case_b)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, driven by Playwright): skipped where it is not installed,
    a failure under CI=true, where the browser tests must run."""
    import os

    from tests.browser import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed, and under CI=true browser tests must run (apt-get install chromium).")
        pytest.skip("Chromium is not installed: `apt-get install chromium` to run the browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
