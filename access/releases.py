"""Who may make public releases and SIMFONI-PPA exports (the releases room; docs/releases.md, "Who").

Rules:
- **Public releases** (DP tables, the CTDC-shaped data set, the privacy-budget ledger): a user who
  holds the ``releases.make_release`` permission (granted by a platform administrator in the
  Django admin or ``manage.py shell``) **and** is either a platform administrator or a monitoring
  & evaluation officer of an active organisation. The permission is what makes an organisation's
  M&E officer a national releaser; an M&E role alone is not enough, because a release draws on
  every organisation's cases and spends the installation's one privacy budget.
- **SIMFONI-PPA export**: the roles in ``SINTAS_SIMFONI_ROLES`` (default: supervisors) of an active
  organisation, for their own organisation's cases, in their organisation's region or a
  kabupaten/kota within it.
- Everything else answers 404 (the pages and the API do not tell that they exist).

The releases room registers a ``ReleasesPolicy`` with its setting of the SIMFONI roles in
``ReleasesConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from accounts.models import Role

from .base import PolicySlot, is_signed_in

RELEASE_PERMISSION = "releases.make_release"


class ReleasesPolicy:
    def __init__(self, *, simfoni_roles: Callable[[], Sequence[str]]) -> None:
        self.simfoni_roles = simfoni_roles  # read at call time: a changed setting takes effect

    def may_release(self, user: Any) -> bool:
        if not is_signed_in(user):
            return False
        if not user.is_platform_admin:
            org = getattr(user, "organisation", None)
            if org is None or not org.is_active or not user.has_role(Role.ME_OFFICER):
                return False
        # Last: the permission costs a query (then cached on the user object), the role does not.
        return bool(user.has_perm(RELEASE_PERMISSION))

    def may_export_simfoni(self, user: Any) -> bool:
        if not is_signed_in(user):
            return False
        org = getattr(user, "organisation", None)
        return bool(org is not None and org.is_active and user.has_role(*self.simfoni_roles()))


slot: PolicySlot[ReleasesPolicy] = PolicySlot("releases")
register = slot.register


def may_release(user: Any) -> bool:
    return slot.get().may_release(user)


def may_export_simfoni(user: Any) -> bool:
    return slot.get().may_export_simfoni(user)
