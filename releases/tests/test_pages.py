"""Release pages and API: who reaches them, preparing a release, the ledger, downloads, errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from releases.models import PrivacyLedgerEntry, Release
from releases.services import ctdc_import

from .conftest import consent_to_statistics, en_client, grant_release, make_cases
from .test_importer import SYNTHETIC

PERIOD = {"period_start": "2026-01-01", "period_end": "2026-12-31"}


@pytest.fixture
def population(personas: Any) -> Any:
    make_cases(personas.org_a, personas.a_caseworker, 50, exploitation_types=["SexualExploitation"],
               exploitation_country="MY")
    make_cases(personas.org_b, personas.b_caseworker, 30, exploitation_types=["ForcedLabour"],
               exploitation_country="MY")
    consent_to_statistics([personas.case_a.survivor_id, personas.case_b.survivor_id], personas.a_caseworker)
    return personas


def _page_urls(release_id: Any) -> list[str]:
    return [reverse("releases:index"), reverse("releases:table_new"), reverse("releases:dataset"),
            reverse("releases:ledger"), reverse("releases:detail", kwargs={"release_id": release_id}),
            reverse("releases:download_csv", kwargs={"release_id": release_id}),
            reverse("releases:download_xlsx", kwargs={"release_id": release_id}),
            reverse("releases:report_csv", kwargs={"release_id": release_id}),
            "/api/v1/releases/", "/api/v1/releases/budget/", f"/api/v1/releases/{release_id}/",
            "/api/v1/releases/dataset/check/?period_start=2026-01-01&period_end=2026-12-31"]


@pytest.mark.parametrize("who", ["a_me", "a_supervisor", "a_caseworker", "a_admin", "platform", "outsider"])
def test_without_the_release_permission_everything_is_404(population: Any, releaser: Any, who: str) -> None:
    from releases.services import release_table

    release = release_table(actor=releaser, table="sex", period_start=releaser_date(0), period_end=releaser_date(1))
    user = population.users[who]
    user.user_permissions.clear()
    client = en_client(user)
    for url in _page_urls(release.pk):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("releases:table_new"), {**PERIOD, "table": "sex", "epsilon": "1"}).status_code == 404
    refused = client.post("/api/v1/releases/tables/", {**PERIOD, "table": "sex", "epsilon": "1"})
    assert refused.status_code == 403 and refused.json()["detail"] == "Your role may not make public releases."
    assert client.post("/api/v1/releases/dataset/", PERIOD).status_code == 403
    assert PrivacyLedgerEntry.objects.count() == 1


def releaser_date(which: int) -> Any:
    import datetime as dt

    return (dt.date(2026, 1, 1), dt.date(2026, 12, 31))[which]


def test_releaser_prepares_a_table_sees_the_ledger_and_downloads(population: Any, releaser: Any) -> None:
    client = en_client(releaser)
    index = client.get(reverse("releases:index"))
    assert index.status_code == 200 and "Privacy budget (epsilon)" in index.content.decode()
    form = client.get(reverse("releases:table_new"))
    assert form.status_code == 200
    response = client.post(reverse("releases:table_new"), {**PERIOD, "table": "exploitation", "epsilon": "0.75"})
    release = Release.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("releases:detail",
                                                                           kwargs={"release_id": release.pk})
    detail = client.get(response["Location"]).content.decode()
    assert "Disclosure report" in detail and "0.75" in detail
    ledger = client.get(reverse("releases:ledger")).content.decode()
    assert "<td>0.7500</td>" in ledger and "<strong>9.25</strong>" in ledger
    csv_text = client.get(reverse("releases:download_csv", kwargs={"release_id": release.pk})).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ",yes,no or not recorded,total"
    book = load_workbook(io.BytesIO(client.get(reverse("releases:download_xlsx",
                                                       kwargs={"release_id": release.pk})).content))
    assert book.sheetnames == ["data", "report"]
    report = client.get(reverse("releases:report_csv", kwargs={"release_id": release.pk})).content.decode("utf-8-sig")
    assert "epsilon spent,0.7500" in report and "make_laplace" in report
    for case in (population.case_a, population.case_b):
        assert case.survivor.code not in csv_text + report


@pytest.mark.parametrize(("epsilon", "message"), [
    ("20", "Epsilon 20 is more than the privacy budget that remains"),
    ("0", "Epsilon must be greater than 0."),
    ("-2", "Epsilon must be greater than 0."),
])
def test_page_shows_clear_errors_and_spends_nothing(population: Any, releaser: Any, settings: Any,
                                                    epsilon: str, message: str) -> None:
    settings.SINTAS_DP_MAX_RELEASE_EPSILON = "50"
    client = en_client(releaser)
    page = client.post(reverse("releases:table_new"), {**PERIOD, "table": "sex", "epsilon": epsilon})
    assert page.status_code == 200 and message in page.content.decode()
    assert not PrivacyLedgerEntry.objects.exists()


def test_page_refuses_a_period_ending_before_it_starts(population: Any, releaser: Any) -> None:
    client = en_client(releaser)
    page = client.post(reverse("releases:table_new"), {"period_start": "2026-12-31", "period_end": "2026-01-01",
                                                       "table": "sex", "epsilon": "1"})
    assert "The period ends before it starts." in page.content.decode()
    page = client.get(reverse("releases:dataset"), {"period_start": "2026-12-31", "period_end": "2026-01-01"})
    assert "The period ends before it starts." in page.content.decode()
    assert not Release.objects.exists()


def test_dataset_page_checks_then_releases(population: Any, releaser: Any) -> None:
    client = en_client(releaser)
    page = client.get(reverse("releases:dataset"), PERIOD).content.decode()
    assert "Disclosure check" in page and "Smallest class (k)" in page and "Release the data set" in page
    response = client.post(reverse("releases:dataset"), PERIOD)
    release = Release.objects.get(kind=Release.Kind.DATASET)
    assert response.status_code == 302 and release.row_count == 80
    content = client.get(reverse("releases:download_csv", kwargs={"release_id": release.pk})).content.decode("utf-8-sig")
    assert content.startswith("yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths")
    report = client.get(reverse("releases:report_csv", kwargs={"release_id": release.pk})).content.decode("utf-8-sig")
    assert "k required,11" in report and "records suppressed,2" in report


def test_index_query_count_is_bounded(population: Any, releaser: Any) -> None:
    from releases.services import release_table

    for _ in range(3):
        release_table(actor=releaser, table="sex", period_start=releaser_date(0), period_end=releaser_date(1))
    ctdc_import(raw=SYNTHETIC, file_name="s.csv")
    client = en_client(releaser)
    client.get(reverse("releases:index"))
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("releases:index")).status_code == 200
    assert len(ctx.captured_queries) <= 14, [q["sql"] for q in ctx.captured_queries]


def test_api_release_flow_and_errors(population: Any, releaser: Any, settings: Any) -> None:
    settings.SINTAS_DP_TOTAL_EPSILON = "1.5"
    client = en_client(releaser)
    created = client.post("/api/v1/releases/tables/", {**PERIOD, "table": "age_band", "epsilon": "1"},
                          content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["epsilon"] == "1.0000" and body["rows"][0] == ["", "count"] and body["report"]["k"] == 11
    refused = client.post("/api/v1/releases/tables/", {**PERIOD, "table": "age_band", "epsilon": "1"},
                          content_type="application/json")
    assert refused.status_code == 400 and "privacy budget that remains" in refused.json()["epsilon"][0]
    assert client.post("/api/v1/releases/tables/", {**PERIOD, "table": "age_band", "epsilon": "-1"},
                       content_type="application/json").status_code == 400
    assert client.post("/api/v1/releases/tables/", {"period_start": "2026-12-31", "period_end": "2026-01-01",
                                                    "table": "sex"}, content_type="application/json").status_code == 400
    budget = client.get("/api/v1/releases/budget/").json()
    assert budget["spent"] == "1.0000" and budget["remaining"] == "0.5000" and len(budget["ledger"]) == 1
    assert client.get("/api/v1/releases/").json()["count"] == 1
    check = client.get("/api/v1/releases/dataset/check/", PERIOD).json()
    assert check["releasable"] and check["before"]["k_required"] == 11
    dataset = client.post("/api/v1/releases/dataset/", PERIOD, content_type="application/json")
    assert dataset.status_code == 201 and dataset.json()["rows"][0][0] == "yearOfRegistration"
    assert client.get(f"/api/v1/releases/{dataset.json()['id']}/").status_code == 200
    assert client.get("/api/v1/releases/not-a-uuid/").status_code == 404


def test_api_ctdc_reference(personas: Any) -> None:
    client = en_client(personas.a_me)
    assert client.get("/api/v1/ctdc/reference/").status_code == 404
    rows = SYNTHETIC
    ctdc_import(raw=rows, file_name="s.csv")
    data = client.get("/api/v1/ctdc/reference/").json()
    assert data["file"]["file_name"] == "s.csv" and "CTDC" in data["attribution"]
    assert data["tables"]["sex"]["total"] is None  # 3 records: below k, hidden


def test_a_granted_platform_admin_may_release(population: Any, clock_now: Any) -> None:
    admin = grant_release(population.platform)
    client = en_client(admin)
    assert client.get(reverse("releases:index")).status_code == 200


def test_pages_speak_indonesian_first(population: Any, releaser: Any) -> None:
    from django.test import Client

    from conftest import login

    client = login(Client(), releaser)
    ctdc_import(raw=SYNTHETIC, file_name="s.csv")
    page = client.get(reverse("releases:index"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Rilis publik" in page and "Anggaran privasi (epsilon)" in page and "Data acuan global CTDC" in page


def test_nav_entries_for_releasers_and_supervisors(personas: Any, releaser: Any, rf: Any) -> None:
    from django.template.loader import render_to_string

    from releases.context_processors import releases_nav

    def nav(user: Any) -> str:
        request = rf.get("/")
        request.user = user
        user.is_verified = lambda: True
        return render_to_string("releases/_nav_item.html", releases_nav(request))

    assert "/releases/" in nav(releaser) and "/simfoni/" not in nav(releaser)
    assert "/simfoni/" in nav(personas.a_supervisor) and "/releases/" not in nav(personas.a_supervisor)
    assert nav(personas.a_caseworker).strip() == ""
