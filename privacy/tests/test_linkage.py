"""One person across agencies (issue 11 §1): no existence oracle at registration, linkage requests
only for the other organisation's supervisors, their decisions, probing alerts, the access log and
the person-level count."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.tests.conftest import token_client
from audit.models import AccessLogEntry
from cases.models import Case
from conftest import Personas, login, register_case
from privacy import after_response
from privacy.models import LinkageRequest, ProbingAlert
from privacy.selectors import persons_of
from survivors.models import Identity

CASE_B_NIK = "3578010107880002"  # Budi Santoso's (organisation B)
FRESH_NIK = "3578010107880003"  # nobody's


@contextmanager
def in_request_queries() -> Iterator[dict[str, int]]:
    """Counts the queries a request makes before its response is sent (``in_request``) and after."""
    seen: dict[str, int] = {}
    original = after_response.run_jobs
    with CaptureQueriesContext(connection) as ctx:
        def marked(jobs: list[Any]) -> None:
            seen.setdefault("in_request", len(ctx.captured_queries))
            original(jobs)
        after_response.run_jobs = marked
        try:
            yield seen
        finally:
            after_response.run_jobs = original
    seen.setdefault("in_request", len(ctx.captured_queries))
    seen["total"] = len(ctx.captured_queries)


def reg(actor: Any, **kwargs: Any) -> Any:
    """Register through the service, outside a request: what it matched is written on commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return register_case(actor, **kwargs)


def page_data(nik: str, name: str = "Joko Widodo") -> dict[str, str]:
    return {"full_name": name, "sex": "male", "nik": nik, "nationality": "ID", "birth_date": "1988-07-01",
            "identified_on": "2026-03-02", "channel": "police", "origin_province": "53", "origin_regency": "53.71"}


def _page_answer(client: Client, data: dict[str, str]) -> tuple[int, str, list[str], int]:
    with in_request_queries() as q:
        response = client.post(reverse("cases:register"), data)
    case = Case.objects.get(pk=response["Location"].split("/")[2])
    location = response["Location"].replace(str(case.pk), "<case>")
    texts = [str(m).replace(case.survivor.code, "<code>") for m in get_messages(response.wsgi_request)]
    return response.status_code, location, texts, q["in_request"]


def _fresh(user: Any) -> Client:
    return login(Client(), user)


def test_page_registration_with_another_organisations_nik_answers_as_a_new_person(personas: Personas) -> None:
    _page_answer(_fresh(personas.a_caseworker), page_data("3578010107880009", name="Rudi Hartono"))  # warm caches
    no_match = _page_answer(_fresh(personas.a_caseworker), page_data(FRESH_NIK, name="Joko Widodo"))
    match = _page_answer(_fresh(personas.a_caseworker), page_data(CASE_B_NIK, name="Andi Pratama"))
    assert no_match == match  # status, redirect, messages and the queries before the response
    assert match[0] == 302
    request = LinkageRequest.objects.get()
    assert request.matched_case == personas.case_b and request.target_organisation == personas.org_b
    assert request.requesting_organisation == personas.org_a and request.kind == LinkageRequest.Kind.NIK
    assert request.status == LinkageRequest.Status.PENDING


def _api_answer(client: Any, nik: str, name: str) -> tuple[int, dict[str, Any], int]:
    body = {"full_name": name, "sex": "male", "birth_date": "1988-07-01", "nik": nik, "origin_province": "53",
            "origin_regency": "53.71", "nationality": "ID", "identified_on": "2026-03-02", "channel": "police"}
    with in_request_queries() as q:
        response = client.post("/api/v1/cases/", body, format="json")
    data = response.json()
    text = json.dumps(data, sort_keys=True)
    case = Case.objects.get(pk=data["id"])
    for volatile in (str(case.pk), str(case.survivor_id), case.survivor.code):
        text = text.replace(volatile, "<x>")
    text = re.sub(r'"(\w+_at|opened_at|updated)": "[^"]*"', r'"\1": "<t>"', text)
    return response.status_code, json.loads(text), q["in_request"]


def test_api_registration_with_another_organisations_nik_answers_as_a_new_person(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    _api_answer(client, "3578010107880009", "Rudi Hartono")  # warm caches
    no_match = _api_answer(client, FRESH_NIK, "Joko Widodo")
    match = _api_answer(client, CASE_B_NIK, "Andi Pratama")
    assert no_match == match
    assert match[0] == 201
    assert LinkageRequest.objects.get().matched_case == personas.case_b


def test_probable_match_without_nik_answers_the_same_and_creates_a_request(personas: Personas) -> None:
    """Organisation B registers "Sary Woelandarie" (another spelling), born the day Sari Wulandari
    of organisation A was, from the same regency, without a NIK."""
    data = {"full_name": "Sary Woelandarie", "sex": "female", "nationality": "ID", "birth_date": "1999-04-12",
            "identified_on": "2026-03-02", "channel": "police", "origin_province": "53", "origin_regency": "53.71"}
    other = {**data, "full_name": "Maria Goreti", "birth_date": "1995-01-01"}
    _page_answer(_fresh(personas.b_caseworker), {**other, "full_name": "Rudi Hartono"})  # warm caches
    assert _page_answer(_fresh(personas.b_caseworker), other) == _page_answer(_fresh(personas.b_caseworker), data)
    request = LinkageRequest.objects.get()
    assert request.matched_case == personas.case_a and request.kind == LinkageRequest.Kind.PROBABLE
    assert 0.8 <= request.score < 1


def test_threshold_is_configuration(personas: Personas, settings: Any) -> None:
    settings.SINTAS_LINKAGE_THRESHOLD = 0.95
    reg(personas.b_caseworker, name="Sary Woelandarie", nik="")
    assert not LinkageRequest.objects.exists()
    settings.SINTAS_LINKAGE_THRESHOLD = 0.8
    settings.SINTAS_LINKAGE_WEIGHTS = {"region": 0.0, "name_phonetic": 0.3}
    reg(personas.b_caseworker, name="Sary Woelandarie", nik="")
    assert not LinkageRequest.objects.exists()  # 0.3 + 0.35 < 0.8
    settings.SINTAS_LINKAGE_WEIGHTS = {}
    reg(personas.b_caseworker, name="Sary Woelandarie", nik="")
    assert LinkageRequest.objects.count() == 1


def test_in_scope_duplicate_is_still_offered(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    count = Case.objects.count()
    response = client.post(reverse("cases:register"), {**page_data("5371015204990001", "Sari Wulandari"),
                                                       "sex": "female", "birth_date": "1999-04-12"})
    assert response.status_code == 200
    assert personas.case_a.survivor.code in response.content.decode()
    assert Case.objects.count() == count and not LinkageRequest.objects.exists()
    assert AccessLogEntry.objects.filter(what=AccessLogEntry.What.LINKAGE_MATCH, user=personas.a_caseworker,
                                         case_id=personas.case_a.pk).count() == 1
    api = token_client(personas.a_caseworker).post("/api/v1/cases/", {
        "full_name": "Sari", "sex": "female", "birth_date": "1999-04-12", "nik": "5371015204990001",
        "nationality": "ID", "identified_on": "2026-03-02", "channel": "police"}, format="json")
    assert api.status_code == 400 and personas.case_a.survivor.code in api.json()["nik"][0]


def test_same_organisation_outside_the_team_is_out_of_scope(personas: Personas) -> None:
    """a_caseworker2 is not on case_a's team: the NIK is not confirmed to them either; the request
    goes to their own organisation's supervisors."""
    reg(personas.a_caseworker2, name="Sari W.", nik="5371015204990001")
    request = LinkageRequest.objects.get()
    assert request.target_organisation == personas.org_a and request.matched_case == personas.case_a


def test_identity_update_gives_nothing_away(personas: Personas) -> None:
    from survivors.services import identity_update

    case = reg(personas.a_caseworker, name="Andi Pratama", nik="", birth_date=dt.date(1988, 7, 1),
                         sex="male")
    with TestCase.captureOnCommitCallbacks(execute=True):
        identity_update(actor=personas.a_caseworker, case=case, values={"nik": CASE_B_NIK})  # no error
    assert Identity.objects.get(survivor=case.survivor).nik == CASE_B_NIK
    assert LinkageRequest.objects.get().matched_case == personas.case_b


def _b_request(p: Personas) -> LinkageRequest:
    reg(p.a_caseworker, name="Andi Pratama", nik=CASE_B_NIK, sex="male", birth_date=dt.date(1988, 7, 1))
    return LinkageRequest.objects.get()


@pytest.mark.parametrize("who", ["a_caseworker", "a_supervisor", "a_caseworker2", "b_caseworker", "b_caseworker2",
                                 "b_psychologist", "b_me", "b_admin", "outsider", "platform"])
def test_linkage_request_is_404_for_everyone_but_the_other_supervisors(personas: Personas, who: str) -> None:
    request = _b_request(personas)
    client = login(Client(), getattr(personas, who))
    detail = reverse("privacy:linkage_detail", kwargs={"linkage_id": request.pk})
    assert client.get(detail).status_code == 404
    for name in ("privacy:linkage_ignore", "privacy:linkage_referral", "privacy:linkage_transfer"):
        assert client.post(reverse(name, kwargs={"linkage_id": request.pk})).status_code == 404
    listing = client.get(reverse("privacy:linkage_list"))
    assert listing.status_code == 404 or personas.case_b.survivor.code not in listing.content.decode()
    LinkageRequest.objects.filter(pk=request.pk).update(status=LinkageRequest.Status.PENDING)


def test_the_other_supervisor_sees_their_own_case_and_nothing_of_the_requesters_identity(personas: Personas) -> None:
    request = _b_request(personas)
    client = login(Client(), personas.b_supervisor)
    listing = client.get(reverse("privacy:linkage_list"), {"code": personas.case_b.survivor.code[:8]})
    assert listing.status_code == 200 and personas.case_b.survivor.code in listing.content.decode()
    assert personas.case_b.survivor.code not in client.get(reverse("privacy:linkage_list"),
                                                           {"status": "ignored"}).content.decode()
    body = client.get(reverse("privacy:linkage_detail", kwargs={"linkage_id": request.pk})).content.decode()
    assert personas.case_b.survivor.code in body and personas.org_a.name in body
    new_case = request.requesting_case
    for value in ("Andi", "Pratama", CASE_B_NIK, new_case.survivor.code, str(new_case.pk)):
        assert value not in body


def test_ignored_the_requester_never_learns(personas: Personas) -> None:
    request = _b_request(personas)
    supervisor = login(Client(), personas.b_supervisor)
    mine = login(Client(), personas.a_caseworker)
    assert "Andi" not in mine.get(reverse("privacy:linkage_mine")).content.decode()
    code = request.requesting_case.survivor.code
    assert code not in mine.get(reverse("privacy:linkage_mine")).content.decode()
    response = supervisor.post(reverse("privacy:linkage_ignore", kwargs={"linkage_id": request.pk}), {"note": "x"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == LinkageRequest.Status.IGNORED and request.decided_by == personas.b_supervisor
    assert code not in mine.get(reverse("privacy:linkage_mine")).content.decode()
    again = supervisor.post(reverse("privacy:linkage_referral", kwargs={"linkage_id": request.pk}))
    assert again.status_code == 302
    request.refresh_from_db()
    assert request.status == LinkageRequest.Status.IGNORED  # decided once


@pytest.mark.parametrize(("route", "target"), [("referral", "referrals:new"), ("transfer", "transfers:propose")])
def test_a_proposal_continues_in_the_existing_flow_and_the_requester_then_sees_it(
        personas: Personas, route: str, target: str, mailoutbox: Any) -> None:
    personas.a_caseworker.email = "requester@example.org"
    personas.a_caseworker.save()
    request = _b_request(personas)
    assert not [m for m in mailoutbox if "requester@example.org" in m.to]
    supervisor = login(Client(), personas.b_supervisor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = supervisor.post(reverse(f"privacy:linkage_{route}", kwargs={"linkage_id": request.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(target, kwargs={"case_id": personas.case_b.pk}))
    assert len([m for m in mailoutbox if "requester@example.org" in m.to]) == 1
    assert supervisor.get(response["Location"]).status_code == 200  # the flow's own page, consent checks and all
    mine = login(Client(), personas.a_caseworker).get(reverse("privacy:linkage_mine")).content.decode()
    assert request.requesting_case.survivor.code in mine and personas.org_b.name in mine
    other = login(Client(), personas.a_caseworker2).get(reverse("privacy:linkage_mine")).content.decode()
    assert request.requesting_case.survivor.code not in other


def test_every_match_is_access_logged(personas: Personas) -> None:
    before = AccessLogEntry.objects.count()
    reg(personas.a_caseworker, name="Joko Widodo", nik=FRESH_NIK, sex="male",
                  birth_date=dt.date(1988, 7, 1))
    assert AccessLogEntry.objects.count() == before  # nothing matched
    _b_request(personas)
    entry = AccessLogEntry.objects.get(what=AccessLogEntry.What.LINKAGE_MATCH)
    assert entry.user == personas.a_caseworker and entry.case_id == personas.case_b.pk
    assert entry.organisation_id == personas.org_a.pk


def test_probing_alerts_the_platform_administrators_once_a_day(personas: Personas, settings: Any,
                                                               mailoutbox: Any) -> None:
    settings.SINTAS_LINKAGE_PROBE_LIMIT = 2
    personas.platform.email = "platform@example.org"
    personas.platform.save()
    for n in range(2):
        reg(personas.a_caseworker, name=f"Budi Santoso {n}", nik="", sex="male", birth_date=dt.date(1988, 7, 1))
    assert not ProbingAlert.objects.exists()
    reg(personas.a_caseworker, name="Budi Santoso", nik="", sex="male", birth_date=dt.date(1988, 7, 1))
    alert = ProbingAlert.objects.get()
    assert alert.user == personas.a_caseworker and alert.matches == 3
    assert sum("platform@example.org" in m.to for m in mailoutbox) == 1
    reg(personas.a_caseworker, name="Budi Santoso", nik="", sex="male", birth_date=dt.date(1988, 7, 1))
    alert.refresh_from_db()
    assert alert.matches == 4 and ProbingAlert.objects.count() == 1
    assert sum("platform@example.org" in m.to for m in mailoutbox) == 1
    page = login(Client(), personas.platform).get(reverse("privacy:probing"))
    assert page.status_code == 200 and personas.a_caseworker.display_name in page.content.decode()
    assert login(Client(), personas.a_supervisor).get(reverse("privacy:probing")).status_code == 404


def test_a_linked_person_is_counted_once(personas: Personas) -> None:
    request = _b_request(personas)
    cases = Case.objects.all()
    assert persons_of(cases).count() == cases.count() == 3
    from privacy.services import linkage_propose

    linkage_propose(actor=personas.b_supervisor, request=request, route="transfer")
    assert persons_of(cases).count() == 2
    assert persons_of(cases.exclude(pk=personas.case_b.pk)).count() == 2  # the other case not in scope


def test_person_count_indicator(personas: Personas) -> None:
    from monitoring import indicators
    from monitoring.facts import facts_refresh
    from privacy.services import linkage_propose

    request = _b_request(personas)
    facts_refresh(full=True)
    params = indicators.Params(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    indicator = indicators.get("persons_identified")
    assert indicator.population(params).count() == 3
    linkage_propose(actor=personas.b_supervisor, request=request, route="referral")
    assert indicator.population(params).count() == 2
    assert indicators.get("identified").population(params).count() == 3
