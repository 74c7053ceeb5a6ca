"""Settings of the interoperability room, read at call time."""

from __future__ import annotations

from django.conf import settings

# An HTCDS document of one person and one case is a few kilobytes; anything far larger is refused
# before it is parsed.
DEFAULT_IMPORT_MAX_BYTES = 256 * 1024


def import_max_bytes() -> int:
    return int(getattr(settings, "SINTAS_HTCDS_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))
