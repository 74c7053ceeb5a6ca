"""The demo organisations and their staff: demo users with a confirmed TOTP device, one shared
password, and the accounts file that ``make demo`` prints. Synthetic only; idempotent (found by name)."""

from __future__ import annotations

import base64
import json
import math
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, Role, RoleAssignment, User, time_zone_for_region

T = TypeVar("T")


DEMO_PASSWORD = "Sintas-demo-2026"
DEFAULT_BATCH = 2000
SYNTHETIC_NOTE = "Data sintetis untuk demo dan uji beban; tidak menggambarkan orang sungguhan."
OVERRIDE_MODEL = "survivors.guardianoverride"  # as written by survivors.services.survivor_register

K = Organisation.Kind
GOVERNMENT_KINDS = {K.UPTD_PPA, K.DINAS_SOSIAL, K.KEMENSOS_SHELTER}

# --- organisations and demo users ---------------------------------------------------------------

FULL_TEAM: tuple[tuple[str, int], ...] = (
    (Role.SUPERVISOR, 1),
    (Role.PSYCHOLOGIST, 1),
    (Role.HEALTH_WORKER, 1),
    (Role.LEGAL_OFFICER, 1),
    (Role.LIVELIHOOD_OFFICER, 1),
    (Role.ME_OFFICER, 1),
    (Role.ORG_ADMIN, 1),
)
ROLE_SLUG: dict[str, str] = {
    Role.CASEWORKER: "caseworker",
    Role.SUPERVISOR: "supervisor",
    Role.PSYCHOLOGIST: "psychologist",
    Role.HEALTH_WORKER: "health",
    Role.LEGAL_OFFICER: "legal",
    Role.LIVELIHOOD_OFFICER: "livelihood",
    Role.ME_OFFICER: "me",
    Role.ORG_ADMIN: "admin",
}


@dataclass(frozen=True)
class OrgSpec:
    key: str  # username prefix
    name: str
    kind: str
    region: str
    manages_cases: bool  # leads cases: gets caseworkers and every other role
    roles: tuple[tuple[str, int], ...] = ()  # for the others: which roles, how many of each


DEMO_ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("ntt", "UPTD PPA Provinsi Nusa Tenggara Timur", K.UPTD_PPA, "53.71", True),
    OrgSpec("indramayu", "UPTD PPA Kabupaten Indramayu", K.UPTD_PPA, "32.12", True),
    OrgSpec("jatim", "Dinas Sosial Provinsi Jawa Timur", K.DINAS_SOSIAL, "35.78", True),
    OrgSpec("handayani", "Sentra Handayani Jakarta", K.KEMENSOS_SHELTER, "31.75", True),
    OrgSpec("lentera", "Yayasan Lentera Migran Lombok (fiktif)", K.NGO, "52.03", True),
    OrgSpec("bhayangkara", "RS Bhayangkara Mataram", K.HEALTH, "52.71", False,
            ((Role.HEALTH_WORKER, 2), (Role.PSYCHOLOGIST, 1), (Role.ORG_ADMIN, 1))),
    OrgSpec("poldantb", "Unit PPA Polda NTB", K.POLICE_PPA, "52.71", False,
            ((Role.CASEWORKER, 1), (Role.SUPERVISOR, 1), (Role.ORG_ADMIN, 1))),
    OrgSpec("lpsk", "LPSK", K.LPSK, "31.71", False,
            ((Role.LEGAL_OFFICER, 2), (Role.PSYCHOLOGIST, 1), (Role.SUPERVISOR, 1), (Role.ORG_ADMIN, 1))),
)
PLATFORM_ADMIN_USERNAME = "platform.admin"


def caseworkers_per_org(n_survivors: int) -> int:
    """Three caseworkers for a demo; more for a load test, so one caseload stays a few thousand."""
    case_orgs = sum(1 for o in DEMO_ORGANISATIONS if o.manages_cases)
    return max(3, min(25, math.ceil(n_survivors / case_orgs / 2000)))


def org_roles(spec: OrgSpec, n_caseworkers: int) -> list[tuple[str, int]]:
    if spec.manages_cases:
        return [(Role.CASEWORKER, n_caseworkers), *FULL_TEAM]
    return list(spec.roles)


def demo_usernames(spec: OrgSpec, n_caseworkers: int) -> list[tuple[str, str]]:
    out = []
    for role, count in org_roles(spec, n_caseworkers):
        for i in range(1, count + 1):
            suffix = str(i) if count > 1 or role == Role.CASEWORKER else ""
            out.append((f"{spec.key}.{ROLE_SLUG[role]}{suffix}", role))
    return out


@dataclass
class DemoAccount:
    organisation: str | None
    roles: list[str]
    username: str
    password: str
    totp_secret: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "roles": self.roles,
            "username": self.username,
            "password": self.password,
            "totp_secret": self.totp_secret,
        }


def totp_secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def confirmed_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True, key=secrets.token_hex(20))
    return device


def demo_password_hash() -> str:
    """The one password hash every demo user shares (hashing is slow by design, and one check of
    DEMO_PASSWORD then checks them all): the platform administrator's, or a new one before it exists."""
    existing = User.objects.filter(username=PLATFORM_ADMIN_USERNAME).values_list("password", flat=True).first()
    return existing or make_password(DEMO_PASSWORD)


def organisations_and_users(n_survivors: int, *, first_names: Sequence[str] = (), last_names: Sequence[str] = (),
                            rng: random.Random | None = None) -> tuple[dict[str, Organisation], list[DemoAccount]]:
    """Create (or find) the demo organisations and users. Existing users keep their password."""
    rng = rng or random.Random(0)  # noqa: S311 - names for demo staff, not a secret
    password_hash = demo_password_hash()
    n_cw = caseworkers_per_org(n_survivors)
    orgs: dict[str, Organisation] = {}
    accounts: list[DemoAccount] = []

    def user_get_or_create(username: str, org: Organisation | None, roles: list[str], **extra: Any) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, organisation=org, password=password_hash,
                        first_name=rng.choice(first_names) if first_names else username,
                        last_name=rng.choice(last_names) if last_names else "", **extra)
            user.save()
        have = set(user.roles.values_list("role", flat=True))
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles if r not in have])
        device = confirmed_device(user)
        accounts.append(DemoAccount(org.name if org else None, sorted(set(roles) | have), username, DEMO_PASSWORD,
                                    totp_secret_b32(device)))
        return user

    with transaction.atomic():
        for spec in DEMO_ORGANISATIONS:
            org, _created = Organisation.objects.get_or_create(
                name=spec.name,
                defaults={"kind": spec.kind, "region_id": spec.region, "time_zone": time_zone_for_region(spec.region)},
            )
            orgs[spec.key] = org
            # A larger earlier run made more caseworkers: keep listing them all.
            existing = User.objects.filter(organisation=org, username__regex=rf"^{spec.key}\.caseworker[0-9]+$").count()
            for username, role in demo_usernames(spec, max(n_cw, existing)):
                user_get_or_create(username, org, [role])
        user_get_or_create(PLATFORM_ADMIN_USERNAME, None, [], is_platform_admin=True)
    return orgs, accounts


def demo_accounts_write(path: str | Path, accounts: list[DemoAccount]) -> Path:
    """The demo users as JSON (never survivor data). The file holds TOTP secrets: mode 0600."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([a.as_dict() for a in accounts], indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    target.chmod(0o600)
    return target

