"""Configurable values of the legal room. Every legal time limit marked [verify] in DOMAIN.md is a
setting with a default, read at call time (docs/legal.md names each one and its source)."""

from __future__ import annotations

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def payment_days() -> int:
    """Days from the service of the final judgment to payment (UU 21/2007 Pasal 50(1): 14 [verify])."""
    return _int("SINTAS_LEGAL_PAYMENT_DAYS", 14)


def payment_days_child() -> int:
    """The same for a child victim (PP 43/2017: 30 days [verify])."""
    return _int("SINTAS_LEGAL_PAYMENT_DAYS_CHILD", 30)


def warning_days() -> int:
    """Days after a missed payment within which the court's warning is expected (Pasal 50(3): 14 [verify])."""
    return _int("SINTAS_LEGAL_WARNING_DAYS", 14)


def claim_window_days() -> int:
    """Days after learning of the final judgment to file a restitution claim (Perma 1/2022: 90 [verify])."""
    return _int("SINTAS_LEGAL_CLAIM_WINDOW_DAYS", 90)


def lpsk_decision_days() -> int:
    """Days LPSK takes to decide on an application for protection (UU 31/2014: about 7 [verify])."""
    return _int("SINTAS_LEGAL_LPSK_DECISION_DAYS", 7)


def companion_working_days() -> int:
    """Working days before a hearing by which someone must be assigned to accompany the survivor."""
    return _int("SINTAS_LEGAL_COMPANION_WORKING_DAYS", 3)


def evidence_max_bytes() -> int:
    """Largest evidence file accepted (default 5 MB)."""
    return _int("SINTAS_LEGAL_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


def due_window_days() -> int:
    """How many days ahead a legal deadline shows in the work queue."""
    return _int("SINTAS_LEGAL_DUE_DAYS", 7)


def medical_service_codes() -> tuple[str, ...]:
    """Services of care's catalogue whose delivery costs are medical and psychological costs
    (UU 21/2007 Pasal 48(2) huruf d), proposed for the loss ledger from the deliveries' cost."""
    return tuple(getattr(settings, "SINTAS_LEGAL_MEDICAL_SERVICES",
                         ("health_rehabilitation", "medical_care", "psychological_support")))
