"""The caseload list and the case file page use a fixed number of queries, however much data
a case (or a caseload) holds: no N+1."""

from __future__ import annotations

import datetime as dt

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import case_intake_update, case_team_add, case_transition
from conftest import Personas, login, register_case
from survivors.services import ConsentInput, GuardianInput, consent_record, guardian_add


def _queries(client: Client, url: str) -> int:
    """Queries of one request (after a first one: the session is renewed at most once a minute)."""
    client.get(url)
    reset_queries()  # the query log holds at most 9,000 entries: count from an empty one
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow_case(p: Personas, *, assessments: int = 20, deliveries: int = 200, goals_from: int = 0,
               first: bool = False) -> None:
    """A case with a long history: team, guardians, consents, status moves, 20 assessments,
    200 service deliveries, a plan with goals and actions, phase changes."""
    from care.services import application_record, organisation_services_set
    from plans.services import phase_change

    case = p.case_a
    if not first:
        _more(p, assessments=assessments, deliveries=deliveries, goals_from=goals_from)
        return
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
    for to in ("assessment", "planning", "services", "planning", "services", "reintegration", "services"):
        case_transition(actor=p.a_caseworker, case=case, to_status=to, reason=f"step {to}")
    organisation_services_set(actor=p.a_admin, service_codes=["medical_care", "legal_aid", "psychological_support"])
    application_record(actor=p.a_caseworker, case=case, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    phase_change(actor=p.a_caseworker, case=case, phase="recovery", reason="stable")
    _more(p, assessments=assessments, deliveries=deliveries, goals_from=goals_from)


def _more(p: Personas, *, assessments: int, deliveries: int, goals_from: int) -> None:
    from care.services import delivery_save
    from plans.models import Plan
    from plans.services import ActionInput, GoalInput, PlanInput, plan_save
    from recovery.models import Instrument
    from recovery.services import assessment_complete, assessment_start

    case = p.case_a
    shrs = Instrument.objects.get(code="SHRS", version=1)
    done = case.assessments.count()
    for i in range(done, done + assessments):
        a = assessment_start(actor=p.a_caseworker, case=case, instrument=shrs, kind="periodic",
                             assessed_on=dt.date(2026, 3, 5) + dt.timedelta(days=5 * i))
        answers = {item.number: 1 + (i + item.number) % 4 for item in shrs.items.all()}
        assessment_complete(actor=p.a_caseworker, case=case, assessment=a, answers=answers)
    for i in range(deliveries):
        delivery_save(actor=p.a_caseworker, case=case, complete=True, values={
            "service": ("medical_care", "legal_aid", "psychological_support")[i % 3],
            "delivered_on": dt.date(2026, 3, 3) + dt.timedelta(days=i % 200)})
    domains = ("safety", "legal", "mental", "economic", "social", "physical")[goals_from:]
    goals = [GoalInput(domain=d, description=f"goal {d}", actions=[
        ActionInput(description=f"action {d} {j}", responsible_organisation_id=p.org_a.pk,
                    target_date=dt.date(2027, 1, 1) + dt.timedelta(days=j)) for j in range(3)])
        for d in domains]
    plan = Plan.objects.filter(case=case).first()
    plan_save(actor=p.a_caseworker, case=case, version=plan.version if plan else 0,
              data=PlanInput(priorities="work", goals=goals))


def test_case_file_queries_do_not_grow_with_the_case(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    url = reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    _grow_case(personas, assessments=1, deliveries=1, goals_from=5, first=True)  # one of each
    small = _queries(client, url)
    _grow_case(personas, assessments=19, deliveries=199, goals_from=0)  # 20 assessments, 200 deliveries
    large = _queries(client, url)
    assert large == small
    # session, user (with organisation), OTP device, case, roles, regions, access log; 4 for the case
    # itself (team, consents, status history, guardians); the sections of the other rooms:
    # trajectory 2 (its income points from livelihood 1, legal's markers 1), plan 2, clocks and deliveries 3 (4 when the time-limit rules are not cached yet),
    # closure 2, referrals 1, transfers 1 (2 once the case has been transferred), livelihood 1,
    # legal 1; and the header's unread-referrals count.
    assert small <= 29
    body = client.get(url).content.decode()
    assert "<svg" in body and 'role="img"' in body  # the trajectory chart, drawn on the server


def test_caseload_queries_do_not_grow_with_the_caseload(personas: Personas) -> None:
    client = login(Client(), personas.a_supervisor)
    url = reverse("cases:list")
    small = _queries(client, url)
    for i in range(30):
        register_case(personas.a_caseworker, name=f"Penyintas {i}", birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=i),
                      guardian=GuardianInput(full_name="W", relationship="mother"))
    large = _queries(client, url)
    assert large == small
    assert small <= 7


def test_caseload_count_is_capped_and_code_search_is_exact(personas: Personas, settings: object) -> None:
    from core.pagination import CappedPaginator

    for i in range(4):
        register_case(personas.a_caseworker, name=f"P {i}", birth_date=dt.date(1991, 1, 1) + dt.timedelta(days=i))
    client = login(Client(), personas.a_supervisor)
    original = CappedPaginator.cap
    CappedPaginator.cap = 3
    try:
        body = client.get(reverse("cases:list")).content.decode()
    finally:
        CappedPaginator.cap = original
    assert "Lebih dari 3 kasus" in body
    code = personas.case_a.survivor.code
    for typed in (code, code.lower(), code.replace("-", ""), f" {code[:4]} {code[4:]} "):
        body = client.get(reverse("cases:list"), {"q": typed}).content.decode()
        assert code in body and "1 kasus" in body, typed
