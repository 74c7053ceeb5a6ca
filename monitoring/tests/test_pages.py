"""Dashboards, downloads, reports and the API, as the monitoring role sees them: only aggregates,
never a cell below k, never an identifier."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from conftest import login
from monitoring import dashboard, exports
from monitoring.models import MonitoringScope, ReportRequest
from survivors.models import Identity, Survivor

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def identifiers() -> list[str]:
    """Everything that identifies a survivor or a case in the test world."""
    found = [str(code) for code in Survivor.objects.values_list("code", flat=True)]
    found += [h for h in Identity.objects.values_list("nik_hash", flat=True) if h]
    from cases.models import Case

    found += [str(pk) for pk in Case.objects.values_list("pk", flat=True)]
    found += [str(pk) for pk in Survivor.objects.values_list("pk", flat=True)]
    found += ["Sari Wulandari", "Budi Santoso", "5371015204990001", "3578010107880002", "Melati", "+62812"]
    return found


def assert_no_identifier(text: str) -> None:
    for needle in identifiers():
        assert needle not in text, needle


def assert_no_small_integer(cells: list[str], k: int = 5) -> None:
    """Every plain integer published is 0 or at least k."""
    for cell in cells:
        if re.fullmatch(r"\d+", cell.strip()):
            value = int(cell)
            assert value == 0 or value >= k, cells


def region_me(personas: Any, region: str = "53") -> Any:
    MonitoringScope.objects.create(user=personas.a_me, level="region", region_id=region)
    return personas.a_me


def test_organisation_dashboard_for_me_officer(client: Client, world: Any, personas: Any) -> None:
    login(client, personas.a_me)
    response = client.get(reverse("monitoring:dashboard_organisation"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Survivors identified" in html
    assert "Coverage: health rehabilitation" in html
    assert "<svg" in html and 'role="img"' in html
    assert "fewer than 5 people" in html
    assert_no_identifier(html)
    # the headline of identified (12) and the previous period (1, below k: hidden)
    assert re.search(r'<strong class="headline">12</strong>', html)
    assert "previous period: *" in html


@pytest.mark.parametrize(("instant", "start", "end"), [
    # 09:00 UTC: the same date in Kupang (WITA) and in UTC.
    (dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC), "2026-07-01", "2026-12-06"),
    # 22:30 UTC: already 7 December in Kupang; the organisation's date is the one shown.
    (dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC), "2026-07-01", "2026-12-07"),
    # 30 June 17:30 UTC is 1 July 01:30 in Kupang: the second semester has begun there.
    (dt.datetime(2026, 6, 30, 17, 30, tzinfo=dt.UTC), "2026-07-01", "2026-07-01"),
])
def test_without_a_period_the_form_shows_the_current_semester(client: Client, world: Any, personas: Any,
                                                              time_machine: Any, instant: dt.datetime,
                                                              start: str, end: str) -> None:
    time_machine.move_to(instant, tick=False)
    login(client, personas.a_me)
    html = client.get(reverse("monitoring:dashboard_organisation")).content.decode()
    assert f'name="start" value="{start}"' in html
    assert f'name="end" value="{end}"' in html


def test_levels_are_404_without_the_role_or_scope(client: Client, world: Any, personas: Any) -> None:
    for user in (personas.a_caseworker, personas.a_admin, personas.outsider, personas.platform):
        login(client, user)
        assert client.get(reverse("monitoring:dashboard_organisation")).status_code == 404
    login(client, personas.a_me)
    assert client.get(reverse("monitoring:dashboard_region")).status_code == 404
    assert client.get(reverse("monitoring:dashboard_national")).status_code == 404
    login(client, personas.a_supervisor)
    assert client.get(reverse("monitoring:dashboard_organisation"), PERIOD).status_code == 200
    assert client.get(reverse("monitoring:dashboard_region")).status_code == 404


def test_me_officer_still_cannot_open_a_case(client: Client, world: Any, personas: Any) -> None:
    region_me(personas)
    login(client, personas.a_me)
    assert client.get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})).status_code == 404


def test_regional_dashboard_filters_and_bad_input(client: Client, world: Any, personas: Any) -> None:
    region_me(personas, "53")
    login(client, personas.a_me)
    url = reverse("monitoring:dashboard_region")
    response = client.get(url, {**PERIOD, "region": "53.71", "breakdown": "sex"})
    assert response.status_code == 200
    assert "Kupang" in response.content.decode()
    bad = client.get(url, {"start": "2026-06-30", "end": "2026-01-01"})
    assert bad.status_code == 400
    assert "The period ends before it starts." in bad.content.decode()
    unknown = client.get(url, {**PERIOD, "region": "99.99"})
    assert unknown.status_code == 400 and "Unknown region" in unknown.content.decode()
    outside = client.get(url, {**PERIOD, "region": "35.78"})
    assert outside.status_code == 400 and "outside your monitoring scope" in outside.content.decode()


def test_indonesian_error_messages(client: Client, world: Any, personas: Any, settings: Any) -> None:
    from django.utils import translation

    settings.LANGUAGE_CODE = "id"
    login(client, personas.a_me)
    with translation.override("id"):
        response = client.get(reverse("monitoring:dashboard_organisation"), {"start": "2026-06-30", "end": "2026-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Periode berakhir sebelum dimulai." in page
    assert "Rinci menurut" in page
    with translation.override("id"):
        good = client.get(reverse("monitoring:dashboard_organisation"), PERIOD).content.decode()
    assert "Penyintas teridentifikasi" in good and "interval kepercayaan 95%" in good and "95%%" not in good


def test_downloads_hold_what_is_shown_and_nothing_small(client: Client, world: Any, personas: Any) -> None:
    MonitoringScope.objects.create(user=personas.a_me, level="national")
    login(client, personas.a_me)
    for level in ("organisation", "national"):
        query = {**PERIOD, "breakdown": "sex"}
        page = client.get(reverse(f"monitoring:dashboard_{level}"), query).content.decode()
        data = client.get(reverse(f"monitoring:download_{level}_csv"), query)
        assert data.status_code == 200 and data["Content-Type"].startswith("text/csv")
        text = data.content.decode("utf-8-sig")
        assert_no_identifier(text)
        rows = list(csv.reader(io.StringIO(text)))
        assert_no_small_integer([c for r in rows for c in r])
        assert ["Survivors identified"] in rows
        # the CSV's numbers are the page's numbers
        for row in rows:
            if len(row) >= 3 and row[0] in ("female", "male") and row[2] != "*":
                assert f"<td>{row[2]}</td>" in page
        xlsx = client.get(reverse(f"monitoring:download_{level}_xlsx"), query)
        assert xlsx.status_code == 200
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert_no_small_integer(cells)
        assert_no_identifier(" ".join(cells))
        assert cells.count("*") == sum(r.count("*") for r in rows)


def test_api_dashboard_is_disclosure_controlled(client: Client, world: Any, personas: Any) -> None:
    login(client, personas.a_me)
    response = client.get("/api/v1/monitoring/dashboard/", {**PERIOD, "level": "organisation", "breakdown": "sex"})
    assert response.status_code == 200
    body = response.json()
    assert_no_identifier(json.dumps(body))
    assert body["k"] == 5
    for indicator in body["indicators"]:
        table = indicator["table"]
        numbers = [c for r in table["rows"] for c in r["cells"]] + [r["total"] for r in table["rows"]]
        numbers += table["column_totals"] + [table["total"]]
        for n in numbers:
            assert n is None or n == 0 or n >= 5, (indicator["code"], numbers)
    identified = next(i for i in body["indicators"] if i["code"] == "identified")
    assert identified["value"] == 12
    assert client.get("/api/v1/monitoring/dashboard/", {"level": "national"}).status_code == 404
    bad = client.get("/api/v1/monitoring/dashboard/", {"level": "organisation", "start": "2026-06-30",
                                                       "end": "2026-01-01"})
    assert bad.status_code == 400 and "end" in bad.json()
    assert client.get("/api/v1/monitoring/indicators/").status_code == 200
    login(client, personas.a_caseworker)
    assert client.get("/api/v1/monitoring/dashboard/", {"level": "organisation"}).status_code == 404


def test_periodic_report(client: Client, world: Any, personas: Any, django_capture_on_commit_callbacks: Any,
                         monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> None:
    settings.SINTAS_MONITORING_REPORTS_DIR = tmp_path
    captured: list[str] = []
    real = render_to_string

    def capture(*args: Any, **kwargs: Any) -> str:
        html = real(*args, **kwargs)
        captured.append(html)
        return html

    monkeypatch.setattr(exports, "render_to_string", capture)
    login(client, personas.a_me)
    url = reverse("monitoring:reports_organisation")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period_kind": "semester_1", "year": "2026"})
    report = ReportRequest.objects.get()
    assert response.status_code == 302
    assert report.status == "done" and report.progress == 100
    detail = client.get(reverse("monitoring:report_detail", kwargs={"report_id": report.pk})).content.decode()
    assert "Download PDF" in detail
    pdf = client.get(reverse("monitoring:report_pdf", kwargs={"report_id": report.pk}))
    assert pdf.status_code == 200
    pdf_bytes = b"".join(pdf.streaming_content)  # type: ignore[attr-defined]
    assert pdf_bytes.startswith(b"%PDF")
    assert_no_identifier(captured[0])
    assert "Survivors identified" in captured[0]
    xlsx = client.get(reverse("monitoring:report_xlsx", kwargs={"report_id": report.pk}))
    from openpyxl import load_workbook

    content = b"".join(xlsx.streaming_content)  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(content))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert_no_small_integer(cells)
    assert_no_identifier(" ".join(cells))
    # the same scope (the organisation's supervisor) may download; another organisation may not
    login(client, personas.a_supervisor)
    assert client.get(reverse("monitoring:report_detail", kwargs={"report_id": report.pk})).status_code == 200
    for user in (personas.b_me, personas.a_caseworker):
        login(client, user)
        assert client.get(reverse("monitoring:report_detail", kwargs={"report_id": report.pk})).status_code == 404
        assert client.get(reverse("monitoring:report_pdf", kwargs={"report_id": report.pk})).status_code == 404


def test_report_bad_input(client: Client, world: Any, personas: Any) -> None:
    region_me(personas, "53")
    login(client, personas.a_me)
    url = reverse("monitoring:reports_region")
    response = client.post(url, {"period_kind": "annual", "year": "2026", "region": "35"})
    assert response.status_code == 400 and "outside your monitoring scope" in response.content.decode()
    response = client.post(url, {"period_kind": "annual", "year": "2099", "region": "53"})
    assert response.status_code == 400 and "has not started yet" in response.content.decode()
    assert not ReportRequest.objects.exists()
    # a supervisor holds the organisation level but no region level: 404, not a form
    login(client, personas.a_supervisor)
    assert client.get(url).status_code == 404


def test_scopes_are_granted_by_platform_admins(client: Client, world: Any, personas: Any) -> None:
    url = reverse("monitoring:scopes")
    login(client, personas.a_me)
    assert client.get(url).status_code == 404
    login(client, personas.platform)
    assert client.post(url, {"username": "a_caseworker", "level": "region", "region": "53"}).status_code == 400
    assert client.post(url, {"username": "a_me", "level": "region", "region": "77.77"}).status_code == 400
    assert client.post(url, {"username": "a_me", "level": "region", "region": "53"}).status_code == 302
    scope = MonitoringScope.objects.get()
    login(client, personas.a_me)
    assert client.get(reverse("monitoring:dashboard_region"), PERIOD).status_code == 200
    login(client, personas.platform)
    assert client.post(url, {"revoke": "987654"}).status_code == 404
    assert client.post(url, {"revoke": str(scope.pk)}).status_code == 302
    login(client, personas.a_me)
    assert client.get(reverse("monitoring:dashboard_region")).status_code == 404


def test_dashboard_query_count_is_bounded(client: Client, world: Any, personas: Any) -> None:
    """A fixed number of grouped queries, however many cases there are."""
    import datetime as dt

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from monitoring.facts import facts_refresh

    from .conftest import _case, deliver

    login(client, personas.a_me)
    url = reverse("monitoring:dashboard_organisation")

    def count() -> int:
        client.get(url, PERIOD)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, PERIOD).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    assert before <= 48  # 43 on PostgreSQL (percentile_cont per median); every room adds its indicators
    for n in range(10):
        case = _case(personas.org_a, personas.a_caseworker, sex="male", identified=dt.date(2026, 5, 1))
        deliver(case, "legal_aid", dt.date(2026, 5, 2 + n))
    facts_refresh()
    assert count() == before


def test_dashboard_refreshes_stale_figures(frozen: Any, client: Client, world: Any, personas: Any) -> None:
    """Stale figures are served at once, as of their time, and refreshed once the response has been
    sent (the test client closes each response as a server does): the next view counts the new case."""
    from monitoring.facts import facts_refreshed_at

    from .conftest import T0, _case

    _case(personas.org_a, personas.a_caseworker, sex="female", identified=dt.date(2026, 3, 3))
    frozen.move_to(T0 + dt.timedelta(minutes=30), tick=False)  # older than the 10 minutes allowed
    login(client, personas.a_me)
    html = client.get(reverse("monitoring:dashboard_organisation"), PERIOD).content.decode()
    assert re.search(r'<strong class="headline">12</strong>', html)  # the figures it had, as of T0
    assert "Figures as of" in html and "Newer figures are being prepared" in html
    assert facts_refreshed_at() == T0 + dt.timedelta(minutes=30)  # refreshed after the response
    html = client.get(reverse("monitoring:dashboard_organisation"), PERIOD).content.decode()
    assert re.search(r'<strong class="headline">13</strong>', html)
    assert "Newer figures are being prepared" not in html


def test_national_dashboard_shows_ctdc_reference_when_offered(client: Client, world: Any, personas: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    MonitoringScope.objects.create(user=personas.a_me, level="national")
    login(client, personas.a_me)
    url = reverse("monitoring:dashboard_national")
    fake = types.ModuleType("releases.selectors")
    fake.ctdc_reference_summary = lambda: {"victims in the global dataset": "14,299"}  # type: ignore[attr-defined]
    monkeypatch.setattr(dashboard, "_REFERENCE_SOURCES", [lambda: fake.ctdc_reference_summary()])
    html = client.get(url, PERIOD).content.decode()
    assert "Global reference" in html and "14,299" in html and "Counter-Trafficking Data Collaborative" in html
    text = client.get(reverse("monitoring:download_national_csv"), PERIOD).content.decode("utf-8-sig")
    assert "14,299" in text
    fake.ctdc_reference_summary = lambda: None  # type: ignore[attr-defined]
    assert "Global reference" not in client.get(url, PERIOD).content.decode()
    login(client, personas.a_supervisor)
    assert "Global reference" not in client.get(reverse("monitoring:dashboard_organisation"), PERIOD).content.decode()


def test_ctdc_reference_in_the_releases_shape(client: Client, world: Any, personas: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from monitoring import disclosure

    MonitoringScope.objects.create(user=personas.a_me, level="national")
    login(client, personas.a_me)
    table = disclosure.suppress(disclosure.CountTable.one_way("CTDC records by gender", ["female", "male"],
                                                              [9000, 3]), 11)
    fake = types.ModuleType("releases.selectors")
    fake.ctdc_reference_summary = lambda: {  # type: ignore[attr-defined]
        "total": 9003, "k": 11, "attribution": "Source: Counter-Trafficking Data Collaborative (CTDC)",
        "tables": {"sex": table}, "source": {"file_name": "x.csv"}}
    monkeypatch.setattr(dashboard, "_REFERENCE_SOURCES", [lambda: fake.ctdc_reference_summary()])
    html = client.get(reverse("monitoring:dashboard_national"), PERIOD).content.decode()
    assert "CTDC records by gender" in html and "9003" in html and "<td>3</td>" not in html
