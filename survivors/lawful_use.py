"""Consent where data leaves: the one rule every exit of survivors' data applies.

Which survivors may be included when data leaves the lead organisation, decided from the consent
records and other lawful bases recorded for them (``ConsentRecord``, UU 27/2022 Pasal 20) and
applied in bulk: each function returns a ``Q`` (an ``EXISTS`` subquery on the consent records)
that a release, an export or a dashboard adds to its own query, so the number of queries never
grows with the number of survivors. docs/privacy.md ("Consent where data leaves") explains each
exit, its basis and the setting.

- Public releases (the CTDC-shaped data set, the differentially private tables): only survivors with
  a basis for the statistics purpose in force on the day of the release (their consent, or a
  recorded legal obligation or public task). Someone who withdrew it, was never asked, or whose
  consent expired is left out.
- Internal figures (monitoring dashboards and reports) and the SIMFONI-PPA report: survivors with
  a statistics basis always count; the others as ``SINTAS_STATISTICS_WITHOUT_CONSENT`` says
  (``aggregate_only``, the default: counted in aggregate internal figures and the statutory report,
  never published; ``exclude``: left out of those too). [verify] with the data protection officer.
- The HTCDS export of one case to another system: a consent of the survivor in force for a referral
  or for data sharing that names the recipient organisation, or a legal obligation or vital interest
  stated with its reason at the export (as for referrals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from .models import ConsentRecord

Purpose = ConsentRecord.Purpose
Basis = ConsentRecord.LawfulBasis


class Exit(StrEnum):
    """The ways aggregate or de-identified data about many survivors leaves a case file."""

    PUBLIC_RELEASE = "public_release"  # CTDC-shaped data set, DP tables (releases)
    INTERNAL_FIGURES = "internal_figures"  # monitoring dashboards, exports and periodic reports
    SIMFONI = "simfoni"  # SIMFONI-PPA export (releases/simfoni.py)


# SINTAS_STATISTICS_WITHOUT_CONSENT: what internal figures do with a survivor who has no statistics
# basis in force (withdrew, expired, or never recorded).
AGGREGATE_ONLY = "aggregate_only"
EXCLUDE = "exclude"
WITHOUT_CONSENT_VALUES = (AGGREGATE_ONLY, EXCLUDE)
# Default: counting a survivor in the organisation's own aggregate figures (small cells suppressed)
# and in the SIMFONI-PPA report is processing under the regions' duty to report TPPO cases to
# SIMFONI-PPA (a legal obligation, UU 27/2022 Pasal 20(2)(c); the instrument [verify]) and part of
# running the service the survivor is in; publishing is neither. [verify] with the data protection
# officer.
DEFAULT_STATISTICS_WITHOUT_CONSENT = AGGREGATE_ONLY

# The lawful bases a statistics record may carry for a survivor to be included in statistics. Vital
# interest (someone's life) never justifies statistics.
STATISTICS_BASES = (Basis.CONSENT, Basis.LEGAL_OBLIGATION, Basis.PUBLIC_TASK)

# Records that cover data leaving for another organisation: a referral or data sharing, by consent,
# naming the recipient (the same rule as referrals.services.consents_covering).
SHARING_PURPOSES = (Purpose.REFERRAL, Purpose.DATA_SHARING)
# Bases an exporter may state, with a reason, instead of a consent record.
SHARING_BASES_WITH_REASON = (Basis.LEGAL_OBLIGATION, Basis.VITAL_INTEREST)
SHARING_BASES = (Basis.CONSENT, *SHARING_BASES_WITH_REASON)
REASON_MAX = 2000


def statistics_without_consent() -> str:
    """The configured treatment in internal figures; an unknown value stops the exit (fail closed)."""
    value = getattr(settings, "SINTAS_STATISTICS_WITHOUT_CONSENT", DEFAULT_STATISTICS_WITHOUT_CONSENT)
    if value not in WITHOUT_CONSENT_VALUES:
        raise ImproperlyConfigured(
            f"SINTAS_STATISTICS_WITHOUT_CONSENT must be one of {', '.join(WITHOUT_CONSENT_VALUES)}, not {value!r}")
    return str(value)


def records_in_force(*, on: dt.date) -> QuerySet[ConsentRecord]:
    """Consent records in force on ``on``: given by then, not withdrawn, not expired (an expired
    consent counts as none), and the latest version (a record superseded by a newer one no longer
    speaks for the survivor, whatever the newer one says)."""
    return (ConsentRecord.objects.filter(withdrawn_at=None, given_on__lte=on, superseded_by=None)
            .filter(Q(expires_on=None) | Q(expires_on__gt=on)))


def statistics_basis_q(*, on: dt.date, survivor: str = "survivor_id") -> Q:
    """Rows whose survivor (the field path ``survivor`` of the queried model: ``"survivor_id"`` on
    cases, ``"case__survivor_id"`` on per-case figures, ``"pk"`` on survivors) has a basis for the
    statistics purpose in force on ``on``."""
    return Q(Exists(records_in_force(on=on).filter(
        purpose=Purpose.STATISTICS, lawful_basis__in=STATISTICS_BASES, survivor_id=OuterRef(survivor))))


def included_q(exit: Exit, *, on: dt.date, survivor: str = "survivor_id") -> Q:
    """The filter of the survivors that ``exit`` may include, on ``on`` (``Q()`` when the rule lets
    everyone through). One subquery in the caller's query, never a query per row."""
    if exit is Exit.PUBLIC_RELEASE:
        return statistics_basis_q(on=on, survivor=survivor)
    if exit in (Exit.INTERNAL_FIGURES, Exit.SIMFONI):
        if statistics_without_consent() == AGGREGATE_ONLY:
            return Q()
        return statistics_basis_q(on=on, survivor=survivor)
    raise ValueError(f"unknown exit {exit!r}")


# --- one case to another organisation -------------------------------------------------------------------


def sharing_records(*, survivor_id: Any, recipient_id: Any, on: dt.date) -> QuerySet[ConsentRecord]:
    """The survivor's consents in force on ``on`` for a referral or data sharing naming this
    recipient organisation, latest first."""
    return records_in_force(on=on).filter(
        survivor_id=survivor_id, purpose__in=SHARING_PURPOSES, lawful_basis=Basis.CONSENT,
        recipient_organisation_id=recipient_id,
    ).order_by("-given_on", "-version")


@dataclass(frozen=True)
class SharingBasis:
    """Why one case's data may go to ``recipient_id``: a consent record, or another basis with its reason."""

    lawful_basis: str
    consent: ConsentRecord | None
    reason: str


def sharing_basis(*, survivor_id: Any, recipient_id: Any, recipient_name: str, lawful_basis: str,
                  consent_id: Any = None, reason: str = "", on: dt.date) -> SharingBasis:
    """The basis on which one survivor's data may leave for the recipient, or ValidationError
    (field -> messages) saying what is missing. At most one query."""
    reason = (reason or "").strip()
    if lawful_basis not in SHARING_BASES:
        raise ValidationError({"lawful_basis": [_("Choose a value from the list.")]})
    if lawful_basis == Basis.CONSENT:
        covering = sharing_records(survivor_id=survivor_id, recipient_id=recipient_id, on=on)
        if consent_id not in (None, ""):
            try:
                consent = covering.filter(pk=consent_id).first()
            except (ValueError, ValidationError):
                consent = None
        else:
            consent = covering.first()
        if consent is None:
            raise ValidationError({"lawful_basis": [_(
                "No consent of the survivor in force covers sharing this case with %(org)s. Record the consent "
                "first (purpose: sharing data with another organisation, or referral to a partner; recipient: "
                "%(org)s), or give another lawful basis with its reason.") % {"org": recipient_name}]})
        return SharingBasis(lawful_basis=lawful_basis, consent=consent, reason="")
    if not reason:
        raise ValidationError({"basis_reason": [_("Give the legal provision or reason for this basis.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"basis_reason": [_("At most %(n)s characters.") % {"n": REASON_MAX}]})
    return SharingBasis(lawful_basis=lawful_basis, consent=None, reason=reason)
