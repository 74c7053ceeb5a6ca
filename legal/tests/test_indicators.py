"""The legal indicators in the monitoring registry, against hand-computed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import Personas
from legal import services
from legal.indicators import restitution_amounts
from monitoring import indicators
from monitoring.facts import facts_refresh
from monitoring.indicators import Params, compute

from .conftest import PDF, to_verdict


@pytest.fixture
def k1(settings: Any) -> None:
    settings.SINTAS_DISCLOSURE_K_INTERNAL = 1


def test_legal_indicators(personas: Personas, k1: None) -> None:
    order = to_verdict(personas, amount=30_000_000, served=dt.date(2026, 5, 11))  # report 5 Mar, verdict 4 May
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 20), amount=12_000_000,
                            channel="court", proof_reference="KW-1")
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="medical", description="Visum",
                         amount=750_000, incurred_on=dt.date(2026, 3, 3),
                         evidence=[services.Upload(name="v.pdf", content=PDF)])
    services.claim_prepare(actor=personas.a_legal, proceeding=order.proceeding, recipient="lpsk",
                           filed_on=dt.date(2026, 5, 20))
    services.lpsk_apply(actor=personas.a_legal, case=personas.case_a, applied_on=dt.date(2026, 5, 1),
                        requested=["restitution"])
    facts_refresh()
    params = Params(start=dt.date(2026, 1, 1), end=dt.date(2026, 5, 31), organisation_id=personas.org_a.pk)

    def headline(code: str) -> Any:
        return compute(indicators.get(code), params).headline

    assert headline("legal_police_report") == 1
    assert headline("legal_trial") == 1
    assert headline("legal_verdict") == 1
    assert headline("legal_investigation_to_verdict") == 100.0
    assert headline("legal_days_report_to_verdict") == 60.0  # 5 March to 4 May
    assert headline("legal_restitution_claimed") == 1
    assert headline("legal_restitution_ordered") == 1
    assert headline("legal_restitution_paid") == 0.0  # 12 of 30 million
    assert headline("legal_lpsk_applications") == 1
    assert headline("legal_lpsk_decided") == 0.0
    other = Params(start=dt.date(2026, 1, 1), end=dt.date(2026, 5, 31), organisation_id=personas.org_b.pk)
    assert compute(indicators.get("legal_verdict"), other).headline == 0
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 25), amount=18_000_000,
                            channel="court", proof_reference="KW-2")
    assert headline("legal_restitution_paid") == 100.0
    amounts = restitution_amounts(organisation_id=personas.org_a.pk, start=params.start, end=dt.date(2026, 5, 21))
    assert amounts["ordered"] == Decimal(30_000_000) and amounts["paid"] == Decimal(12_000_000)
    assert amounts["share"] == pytest.approx(0.4)


def test_share_of_ordered_restitution_paid_in_rupiah(personas: Personas, settings: Any) -> None:
    from django.utils import translation

    from monitoring.dashboard import IndicatorBlock


    order = to_verdict(personas, amount=30_000_000, served=dt.date(2026, 5, 11))
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 20), amount=12_000_000,
                            channel="court", proof_reference="KW-1")
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 30), amount=3_000_000,
                            channel="court", proof_reference="KW-2")  # after the period below
    facts_refresh()
    indicator = indicators.get("legal_restitution_paid_amount")
    params = Params(start=dt.date(2026, 1, 1), end=dt.date(2026, 5, 25), organisation_id=personas.org_a.pk)
    # one case: below the disclosure threshold, so nothing is shown, not even the amounts
    hidden = compute(indicator, params, "sex")
    assert hidden.headline is None and hidden.sum_total is None and all(s is None for s in hidden.sums)
    settings.SINTAS_DISCLOSURE_K_INTERNAL = 1
    result = compute(indicator, params)
    assert result.headline == pytest.approx(40.0)  # 12 of 30 million, by the end of the period
    assert result.sum_total == (Decimal(30_000_000), Decimal(12_000_000))
    assert restitution_amounts(organisation_id=personas.org_a.pk, start=params.start, end=params.end)["share"] == \
        pytest.approx(0.4)
    block = IndicatorBlock(indicator, result, compute(indicator, params.previous()))
    with translation.override("id"):  # the figures as the dashboards show them in Indonesian
        assert block.headline == "40,0%" and block.previous_headline == "–"
        assert block.total_parts() == ["Rp 12.000.000", "Rp 30.000.000", "1"]
        assert block.rows()[0]["parts"] == ["Rp 12.000.000", "Rp 30.000.000", "1"]
    # a verdict outside the period: nothing ordered in it
    later = Params(start=dt.date(2026, 5, 5), end=dt.date(2026, 5, 31), organisation_id=personas.org_a.pk)
    assert compute(indicator, later).table.total() == 0
    assert compute(indicator, Params(start=params.start, end=dt.date(2026, 5, 31),
                                     organisation_id=personas.org_a.pk)).headline == pytest.approx(50.0)


def test_the_dashboard_shows_the_rupiah_share(personas: Personas, k1: None) -> None:
    from django.test import Client
    from django.urls import reverse

    from conftest import login

    order = to_verdict(personas, amount=30_000_000, served=dt.date(2026, 5, 11))
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 20), amount=12_000_000,
                            channel="court", proof_reference="KW-1")
    facts_refresh()
    client = login(Client(), personas.a_supervisor)
    page = client.get(reverse("monitoring:dashboard_organisation"),
                      {"start": "2026-01-01", "end": "2026-05-31"})
    html = page.content.decode()
    assert page.status_code == 200, html[:500]
    assert "Rp 12.000.000" in html and "Rp 30.000.000" in html and "40,0%" in html
