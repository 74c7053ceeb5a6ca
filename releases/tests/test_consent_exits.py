"""Consent where data leaves, at each statistical exit (survivors.lawful_use): the CTDC-shaped data
set and the DP tables (public), the SIMFONI-PPA export and the monitoring figures (internal, per
SINTAS_STATISTICS_WITHOUT_CONSENT). Each group of survivors has its own age band, so what an exit
let through can be read from its output."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from releases import dp, simfoni
from releases.selectors import release_cases
from releases.services import release_dataset, release_table
from survivors.models import ConsentRecord

from .conftest import consent_to_statistics, en_client, make_cases

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
PERIOD = {"period_start": "2026-01-01", "period_end": "2026-12-31"}
WITH_BASIS = {"18-20", "21-23"}  # consented; public task recorded for statistics


def _cohort(personas: Any, n: int = 1) -> dict[str, list[Any]]:
    """Organisation A's survivors: ``n`` times (3 consented, 2 with a recorded public task, 2 who
    withdrew, 2 whose consent expired, 2 never asked), plus case_a (never asked, 24-26)."""
    org, lead = personas.org_a, personas.a_caseworker
    groups = {
        "consented": make_cases(org, lead, 3 * n, survivor__age_band="18-20"),
        "public_task": make_cases(org, lead, 2 * n, survivor__age_band="21-23", statistics=False),
        "withdrawn": make_cases(org, lead, 2 * n, survivor__age_band="39-47"),
        "expired": make_cases(org, lead, 2 * n, survivor__age_band="48+", statistics=False),
        "never": make_cases(org, lead, 2 * n, survivor__age_band="30-38", statistics=False),
    }
    consent_to_statistics([c.survivor_id for c in groups["public_task"]], lead, lawful_basis="public_task")
    consent_to_statistics([c.survivor_id for c in groups["expired"]], lead, expires_on=dt.date(2026, 6, 1))
    ConsentRecord.objects.filter(survivor_id__in=[c.survivor_id for c in groups["withdrawn"]]).update(
        withdrawn_at=dt.datetime(2026, 5, 1, 3, 0, tzinfo=dt.UTC), withdrawal_reason="does not want to be counted")
    return groups


@pytest.fixture
def cohort(personas: Any, clock_now: Any) -> dict[str, list[Any]]:
    return _cohort(personas)


def test_public_release_cases_leave_out_whoever_has_no_statistics_basis(cohort: Any) -> None:
    rows = release_cases(START, END)
    assert len(rows) == 5
    assert {r["survivor__age_band"] for r in rows} == WITH_BASIS


@pytest.mark.parametrize("setting", ["aggregate_only", "exclude"])
def test_dp_table_counts_only_survivors_with_a_basis_whatever_the_setting(
        cohort: Any, releaser: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    settings.SINTAS_STATISTICS_WITHOUT_CONSENT = setting
    settings.SINTAS_DISCLOSURE_K_PUBLIC = 1
    # No noise, to read the true counts the mechanism was given.
    monkeypatch.setattr(dp, "noisy_counts", lambda counts, *, epsilon, sensitivity=1: dp.NoisyCounts(
        counts=list(counts), epsilon=float(epsilon), scale=1.0, sensitivity=sensitivity))
    release = release_table(actor=releaser, table="age_band", period_start=START, period_end=END, epsilon="1")
    table = release.report["table"]
    counts = {row["code"]: row["cells"][0] for row in table["rows"]}
    assert counts["18-20"] == 3 and counts["21-23"] == 2
    assert counts["39-47"] == counts["48+"] == counts["30-38"] == counts["24-26"] == 0
    assert table["total"] == 5


def test_dataset_release_holds_only_survivors_with_a_basis(cohort: Any, releaser: Any, settings: Any) -> None:
    settings.SINTAS_DISCLOSURE_K_PUBLIC = 1
    settings.SINTAS_RELEASE_MIN_L = 1
    release = release_dataset(actor=releaser, period_start=START, period_end=END)
    rows = list(csv.DictReader(io.StringIO(release.content)))
    assert release.row_count == 5 and {r["ageBroad"] for r in rows} == {"18--20", "21--23"}


def test_a_public_release_with_no_consenting_survivor_releases_nothing(personas: Any, releaser: Any) -> None:
    make_cases(personas.org_a, personas.a_caseworker, 30, statistics=False)
    with pytest.raises(ValidationError, match="No survivor identified in this period has a basis for statistics"):
        release_dataset(actor=releaser, period_start=START, period_end=END)


@pytest.mark.parametrize(("setting", "bands"), [
    ("aggregate_only", {"18-20", "21-23", "39-47", "48+", "30-38", "24-26"}),
    ("exclude", WITH_BASIS),
])
def test_simfoni_export_follows_the_setting(cohort: Any, personas: Any, settings: Any, setting: str,
                                            bands: set[str]) -> None:
    settings.SINTAS_STATISTICS_WITHOUT_CONSENT = setting
    from core.choices import AgeBand

    label_to_band = {str(label): code for code, label in AgeBand.choices}
    response = en_client(personas.a_supervisor).get(reverse("releases:simfoni"),
                                                    {**PERIOD, "region": "53.71", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {label_to_band[r["kelompok_umur_korban"]] for r in rows} == bands
    assert len(rows) == (12 if setting == "aggregate_only" else 5)
    page = en_client(personas.a_supervisor).get(reverse("releases:simfoni")).content.decode()
    said = ("Reporting to SIMFONI-PPA is a legal obligation: every case is included" if setting == "aggregate_only"
            else "Only survivors with a basis for statistics in force today are included")
    assert said in page


def _identified(audience: str = "internal") -> float | None:
    from monitoring import indicators
    from monitoring.facts import facts_refresh

    facts_refresh()
    params = indicators.Params(start=START, end=END, audience=audience)
    return indicators.compute(indicators.get("identified"), params).headline


@pytest.mark.parametrize(("setting", "internal"), [("aggregate_only", 13), ("exclude", 5)])
def test_monitoring_figures_follow_the_setting_and_public_figures_never_count_without_a_basis(
        cohort: Any, settings: Any, setting: str, internal: int) -> None:
    settings.SINTAS_STATISTICS_WITHOUT_CONSENT = setting
    settings.SINTAS_DISCLOSURE_K_INTERNAL = 1
    settings.SINTAS_DISCLOSURE_K_PUBLIC = 1
    assert _identified() == internal  # case_a and case_b (never asked) count only under aggregate_only
    assert _identified("public") == 5


def _public(personas: Any) -> None:
    release_cases(START, END)


def _simfoni(personas: Any) -> None:
    region = simfoni.allowed_regions(personas.org_a).get(code="53.71")
    simfoni.rows_for_export(list(simfoni.cases_for_export(personas.org_a, region, START, END)))


def _monitoring(personas: Any) -> None:
    from monitoring import indicators

    indicators.compute(indicators.get("identified"), indicators.Params(start=START, end=END), breakdown="sex")


@pytest.mark.parametrize("exit", [_public, _simfoni, _monitoring], ids=["public", "simfoni", "monitoring"])
def test_query_counts_of_the_exits_do_not_grow_with_the_number_of_survivors(
        personas: Any, clock_now: Any, settings: Any, exit: Any) -> None:
    settings.SINTAS_STATISTICS_WITHOUT_CONSENT = "exclude"  # the consent subquery in every exit
    from monitoring.facts import facts_refresh

    counts = []
    for _round in range(2):
        _cohort(personas, n=3)
        facts_refresh()
        with CaptureQueriesContext(connection) as queries:
            exit(personas)
        counts.append(len(queries))
    assert counts[0] == counts[1]
