"""The caseload list and the case file page use a fixed number of queries, however much data
a case (or a caseload) holds: no N+1."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import case_intake_update, case_team_add, case_transition
from conftest import Personas, login, register_case
from survivors.services import ConsentInput, GuardianInput, consent_record, guardian_add


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow_case(p: Personas) -> None:
    case = p.case_a
    case_intake_update(actor=p.a_caseworker, case=case, values={
        "recruitment_country": "ID", "recruitment_region": "53.71", "exploitation_country": "MY",
        "transit_countries": ["SG", "ID"], "exploitation_types": ["ForcedLabour"], "modus": "migrant_work"})
    for user in (p.a_health, p.a_legal, p.a_livelihood, p.a_caseworker2):
        case_team_add(actor=p.a_supervisor, case=case, user_id=user.pk)
    for i in range(6):
        guardian_add(actor=p.a_caseworker, case=case, full_name=f"Wali {i}", relationship="other_relative")
        consent_record(actor=p.a_caseworker, case=case, data=ConsentInput(
            purpose="data_sharing", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 3, 3),
            recipient_organisation_id=p.org_b.pk))
    for to, back in (("assessment", None), ("planning", None), ("services", None), ("planning", None),
                     ("services", None), ("reintegration", None), ("services", None)):
        case_transition(actor=p.a_caseworker, case=case, to_status=to, reason=f"step {to}")
        assert back is None


def test_case_file_queries_do_not_grow_with_the_case(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    url = reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    small = _queries(client, url)
    _grow_case(personas)
    large = _queries(client, url)
    assert large == small
    assert small <= 16


def test_caseload_queries_do_not_grow_with_the_caseload(personas: Personas) -> None:
    client = login(Client(), personas.a_supervisor)
    url = reverse("cases:list")
    small = _queries(client, url)
    for i in range(30):
        register_case(personas.a_caseworker, name=f"Penyintas {i}", birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=i),
                      guardian=GuardianInput(full_name="W", relationship="mother"))
    large = _queries(client, url)
    assert large == small
    assert small <= 10
