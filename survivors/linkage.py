"""The hook through which another room finds the same person registered before (docs/privacy.md).

``survivors`` knows nothing of how people are matched across organisations. A room (``privacy``)
registers one ``Linkage`` in its ``AppConfig.ready()``; ``survivor_register`` and ``identity_update``
then ask it, before they write anything:

- ``keys(probe)``: the keyed-hash columns of the vault for these identity values (stored with them);
- ``check(actor=, probe=, exclude_survivor_id=)``: a ``DuplicateCheck`` naming a case **the actor may
  see** with the same NIK (``in_scope_case_id``, ``in_scope_code``) (offered to the user as before), and a ``registered`` callback that the
  service runs once its transaction has committed (a match outside the actor's scope is handled
  there, never in the answer to the user).

Without a registered linkage, only cases in the actor's own scope are checked (by NIK), so an
installation without the privacy room never tells anyone that a person is known elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from access import policy

from .validators import nik_hash


@dataclass(frozen=True)
class IdentityProbe:
    """Identity values as typed (never stored here): what a match is computed from."""

    nik: str = ""  # normalised (digits only), or ""
    full_name: str = ""
    birth_date: dt.date | None = None
    province_code: str = ""
    regency_code: str = ""


@dataclass
class DuplicateCheck:
    """The answer of a check. ``in_scope_case_id`` and ``in_scope_code``: a case the actor may see
    with the same NIK, and its survivor's code.
    ``after_commit``: called with ``survivor_id`` and ``case_id`` once the registration (or the
    identity change) has committed; it must not change what the user is answered."""

    in_scope_case_id: Any = None
    in_scope_code: str = ""
    after_commit: Callable[..., None] | None = field(default=None, repr=False)

    def registered(self, *, survivor_id: Any, case_id: Any, actor: Any) -> None:
        if self.after_commit is not None:
            self.after_commit(survivor_id=survivor_id, case_id=case_id, actor=actor)


class Linkage(Protocol):
    def keys(self, probe: IdentityProbe) -> dict[str, str]: ...

    def check(self, *, actor: Any, probe: IdentityProbe, exclude_survivor_id: Any = None) -> DuplicateCheck: ...


_LINKAGE: list[Linkage] = []


def register(linkage: Linkage) -> Linkage:
    """Install the linkage (one per installation: registering again replaces it)."""
    _LINKAGE[:] = [linkage]
    return linkage


def registered() -> Linkage | None:
    return _LINKAGE[0] if _LINKAGE else None


def identity_keys(probe: IdentityProbe) -> dict[str, str]:
    linkage = registered()
    return linkage.keys(probe) if linkage is not None else {}


def duplicate_check(*, actor: Any, probe: IdentityProbe, exclude_survivor_id: Any = None) -> DuplicateCheck:
    linkage = registered()
    if linkage is not None:
        return linkage.check(actor=actor, probe=probe, exclude_survivor_id=exclude_survivor_id)
    if not probe.nik:
        return DuplicateCheck()
    qs = policy.cases_visible_to(actor).filter(survivor__identity__nik_hash=nik_hash(probe.nik))
    if exclude_survivor_id is not None:
        qs = qs.exclude(survivor_id=exclude_survivor_id)
    found = qs.values_list("pk", "survivor__code").first()
    return DuplicateCheck(in_scope_case_id=found[0], in_scope_code=found[1]) if found else DuplicateCheck()
