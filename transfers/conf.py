"""Settings of the transfers room, read at call time (a test's ``settings`` fixture takes effect).

``SINTAS_TRANSFER_SENDER_ACCESS``: what the sending organisation keeps once a transfer is accepted.
- ``"none"`` (default): nothing; every URL of the case answers 404 to the sending organisation.
- ``"own_records"``: a read-only page of what it recorded itself (the intake as it stood at handover,
  the service deliveries it recorded, the assessments its people completed), never the identity;
  open to its supervisors and to the people who were on the case team at handover.
See docs/transfers.md.
"""

from __future__ import annotations

from django.conf import settings

NONE = "none"
OWN_RECORDS = "own_records"
SENDER_ACCESS_VALUES = (NONE, OWN_RECORDS)


def sender_access() -> str:
    value = getattr(settings, "SINTAS_TRANSFER_SENDER_ACCESS", NONE)
    if value not in SENDER_ACCESS_VALUES:
        raise ValueError(f"SINTAS_TRANSFER_SENDER_ACCESS must be one of {SENDER_ACCESS_VALUES}, not {value!r}")
    return str(value)
