"""The registration hook this room installs in ``survivors.linkage``: the keyed-hash search
(``privacy.matching``) for every registration, and the linkage requests (``privacy.services``)
written after the response."""

from __future__ import annotations

from functools import partial
from typing import Any

from audit.models import AccessLogEntry
from audit.services import access_log_write
from survivors.linkage import DuplicateCheck, IdentityProbe

from .keys import keys_for
from .matching import matches_for
from .services import linkage_after_registration


class KeyedHashMatching:
    """The ``survivors.linkage.Linkage`` this room installs."""

    def keys(self, probe: IdentityProbe) -> dict[str, str]:
        return keys_for(probe)

    def check(self, *, actor: Any, probe: IdentityProbe, exclude_survivor_id: Any = None) -> DuplicateCheck:
        found, same_nik = matches_for(actor=actor, probe=probe, exclude_survivor_id=exclude_survivor_id)
        if same_nik is not None:
            # The user is told of a case they may see: logged now (the registration stops here).
            access_log_write(user=actor, what=AccessLogEntry.What.LINKAGE_MATCH, case_id=same_nik["visible_case"],
                             survivor_id=same_nik["survivor_id"])
        return DuplicateCheck(
            in_scope_case_id=same_nik["visible_case"] if same_nik else None,
            in_scope_code=same_nik["survivor__code"] if same_nik else "",
            after_commit=partial(linkage_after_registration, matches=found),
        )


MATCHING = KeyedHashMatching()
