"""The assessment pages, the trajectory on the case file, and 404 for other organisations."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Personas, login
from recovery.models import Answer, Assessment
from recovery.sections import trajectory_context

from .conftest import completed, instrument


def url(name: str, case: object, a: object = None) -> str:
    kwargs = {"case_id": case.pk}  # type: ignore[attr-defined]
    if a is not None:
        kwargs["assessment_id"] = a.pk  # type: ignore[attr-defined]
    return reverse(f"recovery:{name}", kwargs=kwargs)


def no_inline_style_or_script(html: str) -> None:
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_start_fill_save_draft_resume_and_complete(personas: Personas) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)
    page = client.get(url("start", p.case_a) + "?kind=periodic")
    assert page.status_code == 200 and 'value="periodic" selected' in page.content.decode()
    shrs = instrument("SHRS")
    response = client.post(url("start", p.case_a), {"instrument": shrs.pk, "kind": "baseline",
                                                    "assessed_on": "2026-03-10"})
    a = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == url("fill", p.case_a, a)
    fill = client.get(url("fill", p.case_a, a)).content.decode()
    assert "data-keep" in fill and 'name="action" value="save"' in fill and 'value="complete"' in fill
    level = shrs.items.get(number=1).levels.get(value=4)
    assert level.text_id in fill or level.text_en in fill  # each value shows its description
    no_inline_style_or_script(fill)
    # Save a draft with two answers, then reopen: they are still there.
    response = client.post(url("fill", p.case_a, a), {"assessed_on": "2026-03-10", "version": "1", "item_1": "2",
                                                      "item_4": "3", "action": "save"})
    assert response.status_code == 302
    reopened = client.get(url("fill", p.case_a, a)).content.decode()
    assert re.search(r'name="item_1" value="2"[^>]*checked', reopened)
    assert re.search(r'name="item_4" value="3"[^>]*checked', reopened)
    # Completing with a domain missing is refused and shows what was typed again.
    data = {"assessed_on": "2026-03-10", "version": "2", "action": "complete"}
    data |= {f"item_{n}": "3" for n in range(1, 16)}
    refused = client.post(url("fill", p.case_a, a), data)
    assert refused.status_code == 200
    assert re.search(r'name="item_15" value="3"[^>]*checked', refused.content.decode())
    assert Answer.objects.filter(assessment=a).count() == 2
    data |= {f"item_{n}": "3" for n in range(16, 19)}
    response = client.post(url("fill", p.case_a, a), data)
    assert response.status_code == 302 and response["Location"] == url("detail", p.case_a, a)
    a.refresh_from_db()
    assert a.status == "completed"
    detail = client.get(url("detail", p.case_a, a)).content.decode()
    assert "3,00" in detail or "3.00" in detail
    no_inline_style_or_script(detail)
    listing = client.get(url("list", p.case_a)).content.decode()
    assert "Sintas" in listing or "SHRS" in listing


def test_a_stale_form_is_refused_not_overwritten(personas: Personas) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)
    from recovery.services import assessment_save_draft, assessment_start

    a = assessment_start(actor=p.a_caseworker, case=p.case_a, instrument=instrument("SHRS"), kind="baseline",
                         assessed_on=dt.date(2026, 3, 10))
    assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={1: 4})
    response = client.post(url("fill", p.case_a, a), {"assessed_on": "2026-03-10", "version": "1", "item_1": "1",
                                                      "action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record after you opened it" in html and "data-conflict" in html
    assert 'name="version" value="2"' in html  # the next save is based on what was just shown
    assert Answer.objects.get(assessment=a).value == 4


def test_completed_phq9_with_item_9_shows_the_safety_message(personas: Personas) -> None:
    p = personas
    a = completed(p.a_psychologist, p.case_a, code="PHQ-9", answers={n: 1 for n in range(1, 10)})
    html = login(Client(), p.a_psychologist).get(url("detail", p.case_a, a)).content.decode()
    assert 'role="alert"' in html and "PHQ-9 item 9" in html
    assert "mild" in html or "ringan" in html


def test_screening_content_is_for_the_case_team_only(personas: Personas) -> None:
    p = personas
    a = completed(p.a_psychologist, p.case_a, code="PHQ-9", answers={n: 2 for n in range(1, 10)})
    supervisor = login(Client(), p.a_supervisor)
    html = supervisor.get(url("detail", p.case_a, a)).content.decode()
    assert "PHQ-9 item 9" not in html and "<dd>18</dd>" not in html and "cukup berat" not in html
    listing = supervisor.get(url("list", p.case_a)).content.decode()
    assert "moderately severe" not in listing and "cukup berat" not in listing
    team = login(Client(), p.a_caseworker).get(url("list", p.case_a)).content.decode()
    assert "18 · " in team


def test_other_organisations_assessments_are_404(personas: Personas) -> None:
    p = personas
    theirs = completed(p.b_caseworker, p.case_b)
    draft = completed(p.b_caseworker, p.case_b)
    for walker in (p.a_caseworker, p.a_supervisor, p.outsider):
        client = login(Client(), walker)
        for a in (theirs, draft):
            for name in ("detail", "fill", "discard"):
                assert client.get(url(name, p.case_b, a)).status_code == 404
                assert client.post(url(name, p.case_b, a)).status_code == 404
        assert client.get(url("list", p.case_b)).status_code == 404
        assert client.post(url("start", p.case_b)).status_code == 404
    # Their assessment id under our own case: 404 too (looked up within the case).
    client = login(Client(), p.a_caseworker)
    for name in ("detail", "fill", "discard"):
        assert client.get(url(name, p.case_a, theirs)).status_code == 404
    assert client.get(reverse("recovery:detail", kwargs={"case_id": p.case_a.pk,
                                                         "assessment_id": uuid.uuid4()})).status_code == 404
    # Someone in our organisation but not on the team: 404 as well.
    assert login(Client(), p.a_caseworker2).get(url("list", p.case_a)).status_code == 404


def _trajectory(personas: Personas, n: int) -> None:
    start = dt.date(2026, 3, 3)
    for i in range(n):
        completed(personas.a_caseworker, personas.case_a, kind="baseline" if i == 0 else "periodic",
                  on=start + dt.timedelta(days=12 * i), value=1 + (i % 4))


def _count(client: Client, target: str) -> tuple[int, str]:
    client.get(target)  # the session is renewed at most once a minute: count a steady request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_case_file_shows_the_trajectory_with_a_fixed_number_of_queries(personas: Personas) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)
    case_url = reverse("cases:detail", kwargs={"case_id": p.case_a.pk})
    _trajectory(p, 2)
    small, html = _count(client, case_url)
    assert '<svg role="img"' in html and 'aria-labelledby="trajectory-title trajectory-desc"' in html
    assert "<title id=\"trajectory-title\">" in html and "<desc id=\"trajectory-desc\">" in html
    assert html.count("<polyline") == 6 and "stroke-dasharray" in html
    assert "<table>" in html and "improved" in html or "declined" in html or "unchanged" in html
    no_inline_style_or_script(html)
    _trajectory(p, 18)
    large, html = _count(client, case_url)
    assert large == small
    assert html.count('<th scope="row"><a href="/cases/') == 20


def test_the_section_reads_scores_in_one_query(personas: Personas) -> None:
    counts = []
    for n in (2, 18):
        _trajectory(personas, n)
        with CaptureQueriesContext(connection) as ctx:
            context = trajectory_context(personas.case_a, personas.a_caseworker)
        recovery_queries = [q for q in ctx.captured_queries if "recovery_" in q["sql"]]
        assert len(recovery_queries) == 1  # the scores; the rest is care's delivery markers
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert len(context["points"]) == 20 and context["chart"] is not None


def test_delivery_markers_appear_as_ticks(personas: Personas, monkeypatch: object) -> None:
    from recovery import selectors

    monkeypatch.setattr(selectors, "trajectory_markers",  # type: ignore[attr-defined]
                        lambda user, case: [(dt.date(2026, 3, 20), "konseling")])
    _trajectory(personas, 2)
    html = login(Client(), personas.a_caseworker).get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    content = html.content.decode()
    assert "konseling" in content and "<line x1=" in content


def test_showing_a_screening_result_is_logged(personas: Personas) -> None:
    from audit.models import AccessLogEntry
    from recovery.tests.conftest import completed

    p = personas
    a = completed(p.a_psychologist, p.case_a, code="PHQ-9", value=1)
    url = reverse("recovery:detail", kwargs={"case_id": p.case_a.pk, "assessment_id": a.pk})
    assert login(Client(), p.a_psychologist).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(what="screening", case_id=p.case_a.pk, user=p.a_psychologist).count() == 1
    # a supervisor not on the team sees that a screening happened, not its content, and nothing is logged
    login(Client(), p.a_supervisor).get(url)
    assert not AccessLogEntry.objects.filter(what="screening", user=p.a_supervisor).exists()
