"""What every policy in ``access`` stands on.

Rules:
- A user **acts in an organisation** when signed in, active, and belonging to an active
  organisation: a deactivated organisation's people lose access at once, whatever their roles.
- A user **is signed in** when authenticated and active (platform administrators belong to no
  organisation, so their rules start here).

A room whose rules need its own models or settings writes a policy class in ``access/<room>.py`` that
receives them, and registers one instance in its ``AppConfig.ready()`` through a ``PolicySlot``
(as a Wagtail app instantiates a permission policy with its model); ``access`` imports no room.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

P = TypeVar("P")


def is_signed_in(user: Any) -> bool:
    """Authenticated and active (a platform administrator needs no organisation)."""
    return bool(user and user.is_authenticated and user.is_active)


def acts_in_organisation(user: Any) -> bool:
    """Signed in, active, and belonging to an active organisation."""
    return bool(
        is_signed_in(user) and getattr(user, "organisation_id", None) and user.organisation.is_active
    )


class PolicySlot(Generic[P]):
    """Holds the one policy instance of a room, registered by that room's ``AppConfig.ready()``."""

    def __init__(self, room: str) -> None:
        self.room = room
        self._policy: P | None = None

    def register(self, policy: P) -> None:
        self._policy = policy

    def get(self) -> P:
        if self._policy is None:
            raise ImproperlyConfigured(
                f"The {self.room} access policy is not registered: is {self.room!r} in INSTALLED_APPS?"
            )
        return self._policy
