"""Demo data for the releases room: one releaser account, so the public-release pages can be tried.
``rilis.nasional`` is an M&E officer at LPSK (a national agency) holding the ``releases.make_release``
permission. No releases are made (they would spend the demo's privacy budget) and no CTDC data is
loaded (it is not ours to redistribute: docs/releases.md). Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Permission
from django.db import transaction

from accounts.models import Organisation, Role, RoleAssignment, User
from demo.staff import DEMO_PASSWORD, DemoAccount, confirmed_device, demo_password_hash, totp_secret_b32

RELEASER_USERNAME = "rilis.nasional"


def seed_demo(orgs: dict[str, Organisation], *, seed_value: int = 42, batch_size: int = 2000,
              progress: Callable[[str], None] | None = None) -> list[DemoAccount]:
    host = orgs.get("lpsk")
    if host is None:
        return []
    with transaction.atomic():
        user = User.objects.filter(username=RELEASER_USERNAME).first()
        if user is None:
            user = User.objects.create(username=RELEASER_USERNAME, organisation=host,
                                       password=demo_password_hash(), first_name="Rilis Nasional")
        RoleAssignment.objects.get_or_create(user=user, role=Role.ME_OFFICER)
        user.user_permissions.add(Permission.objects.get(codename="make_release", content_type__app_label="releases"))
        account = DemoAccount(host.name, [Role.ME_OFFICER], RELEASER_USERNAME, DEMO_PASSWORD,
                              totp_secret_b32(confirmed_device(user)))
    if progress is not None:
        progress(f"public releases: {RELEASER_USERNAME} (M&E officer with the release permission)")
    return [account]
