"""Identity read for display: the one way a page or an API response gets a survivor's identity.

Every showing of identity (name, aliases, NIK, date of birth, phone numbers, address, photo,
guardians' names and phones) is written to the access log: UU 21/2007 Pasal 44 keeps a victim's
identity confidential, and UU 27/2022 Pasal 16 and 31 require a record of who processed personal
data. A view that shows identity asks these functions for it instead of reading
``case.survivor.identity`` or ``Guardian.objects``; ``tests/test_identity_logging.py`` walks every
route and fails any response that contains a survivor's identity without an entry for them.

One entry per response and what: a page that shows the identity and the guardians (two reads)
writes one entry.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpRequest

from audit.models import AccessLogEntry
from audit.services import access_log_write

from .models import Guardian, Identity

_LOGGED = "_sintas_identity_logged"


def _raw(request: Any) -> HttpRequest:
    """The Django request under a DRF ``Request`` (where the per-response marker is kept)."""
    raw: HttpRequest = getattr(request, "_request", request)
    return raw


def identity_shown_log(*, request: Any, case: Any, what: str = AccessLogEntry.What.IDENTITY) -> None:
    """Write the access-log entry for showing this case's survivor's identity, once per response."""
    raw = _raw(request)
    logged: set[tuple[Any, str]] = raw.__dict__.setdefault(_LOGGED, set())
    key = (case.pk, what)
    if key in logged:
        return
    access_log_write(user=raw.user, what=what, case_id=case.pk, survivor_id=case.survivor_id, request=raw)
    logged.add(key)


def identity_for_display(*, request: Any, case: Any, what: str = AccessLogEntry.What.IDENTITY,
                         photo: bool = False) -> Identity:
    """The survivor's identity, decrypted, and the showing logged.

    Without ``photo`` the image is neither read nor decrypted; ``photo_present`` tells whether
    there is one. The caller has already checked ``Action.VIEW_IDENTITY`` (or EDIT_IDENTITY)
    through ``access.policy``.
    """
    qs = Identity.objects.filter(survivor_id=case.survivor_id)
    if not photo:
        qs = qs.defer("photo")
    identity = qs.annotate(
        photo_present=ExpressionWrapper(Q(photo__isnull=False), output_field=BooleanField())
    ).first()
    if identity is None:
        raise Http404
    identity_shown_log(request=request, case=case, what=what)
    return identity


def guardians_for_display(*, request: Any, case: Any, what: str = AccessLogEntry.What.IDENTITY) -> list[Guardian]:
    """The survivor's guardians (names and phones are identity), and the showing logged when there
    are any to show."""
    guardians = list(Guardian.objects.filter(survivor_id=case.survivor_id).order_by("created_at"))
    if guardians:
        identity_shown_log(request=request, case=case, what=what)
    return guardians


def photo_present(identity: Identity) -> bool:
    """Whether an identity read by ``identity_for_display`` has a photo (without reading it)."""
    return bool(getattr(identity, "photo_present", False))
