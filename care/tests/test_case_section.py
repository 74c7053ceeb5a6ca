from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from care.models import Service, ServiceDelivery
from care.selectors import delivery_markers
from care.services import application_record, delivery_save
from conftest import login


def _queries(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # steady state: the session is renewed at most once a minute
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _many(p: Any, n: int) -> None:
    service = Service.objects.get(code="psychological_support")
    ServiceDelivery.objects.bulk_create([
        ServiceDelivery(case=p.case_a, service=service, organisation=p.org_a, delivered_by=p.a_psychologist,
                        created_by=p.a_psychologist, delivered_on=dt.date(2026, 3, 2) + dt.timedelta(days=i % 3),
                        status=ServiceDelivery.Status.RECORDED)
        for i in range(n)
    ])


def test_case_file_section_uses_the_same_queries_for_2_and_200_deliveries(providing: Any, set_now: Any) -> None:
    p = providing
    client = login(Client(), p.a_caseworker)
    url = reverse("cases:detail", kwargs={"case_id": p.case_a.pk})
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    _many(p, 2)
    small, page = _queries(client, url)
    assert 'id="care-h"' in page
    assert reverse("care:delivery_new", kwargs={"case_id": p.case_a.pk}) in page
    assert reverse("care:deliveries", kwargs={"case_id": p.case_a.pk}) in page
    _many(p, 198)
    for i in range(5):
        application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 4),
                           applicant_kind="family", note=str(i))
    large, page = _queries(client, url)
    assert large == small
    assert page.count('class="care-clock ') == 6


def test_section_shows_clock_due_time_in_the_organisations_zone(providing: Any, set_now: Any) -> None:
    p = providing
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    page = login(Client(), p.a_caseworker).get(reverse("cases:detail", kwargs={"case_id": p.case_a.pk}))
    assert "11 Mar 2026 00:00 WITA" in page.content.decode() or "11 Mar 2026 00.00 WITA" in page.content.decode()


def test_delivery_markers_in_one_query(providing: Any, set_now: Any) -> None:
    p = providing
    delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True,
                  values={"service": "medical_care", "delivered_on": dt.date(2026, 3, 4)})
    delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True,
                  values={"service": "legal_aid", "delivered_on": dt.date(2026, 3, 3)})
    delivery_save(actor=p.a_caseworker, case=p.case_a, values={"service": "repatriation"})  # a draft: not shown
    with CaptureQueriesContext(connection) as ctx:
        markers = delivery_markers(p.a_caseworker, p.case_a)
    assert len(ctx.captured_queries) == 1
    assert markers == [(dt.date(2026, 3, 3), "Legal aid"), (dt.date(2026, 3, 4), "Medical care")]
