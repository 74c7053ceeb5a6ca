"""Demo data for the monitoring room: monitoring scopes, so the dashboards of every level can be
tried. The NTT organisation's M&E officer gets the province of Nusa Tenggara Timur (a regional task
force's view); a national M&E officer is added (at LPSK, a national agency) with a national scope.
Synthetic only; idempotent (a second run adds nothing)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from accounts.models import Organisation, Role, RoleAssignment, User
from demo.staff import DEMO_PASSWORD, DemoAccount, confirmed_device, demo_password_hash, totp_secret_b32
from monitoring.models import MonitoringScope

NATIONAL_USERNAME = "monev.nasional"


def seed_demo(orgs: dict[str, Organisation], *, seed_value: int = 42, batch_size: int = 2000,
              progress: Callable[[str], None] | None = None) -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        regional = User.objects.filter(username="ntt.me").first()
        if regional is not None and regional.has_role(Role.ME_OFFICER):
            MonitoringScope.objects.get_or_create(user=regional, level="region", region_id="53")
        host = orgs.get("lpsk")
        if host is not None:
            national = User.objects.filter(username=NATIONAL_USERNAME).first()
            if national is None:
                national = User.objects.create(username=NATIONAL_USERNAME, organisation=host,
                                               password=demo_password_hash(),
                                               first_name="Monev Nasional")
                RoleAssignment.objects.create(user=national, role=Role.ME_OFFICER)
            MonitoringScope.objects.get_or_create(user=national, level="national", region=None)
            accounts.append(DemoAccount(host.name, [Role.ME_OFFICER], NATIONAL_USERNAME, DEMO_PASSWORD,
                                        totp_secret_b32(confirmed_device(national))))
    if progress is not None:
        progress("monitoring scopes: ntt.me (Nusa Tenggara Timur), monev.nasional (national)")
    return accounts
