"""SIMFONI-PPA export: the mapping, who may export for which region, downloads, access log,
and nothing identifying in the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessLogEntry
from releases import simfoni

from .conftest import en_client

PERIOD = {"period_start": "2026-01-01", "period_end": "2026-12-31"}


@pytest.fixture
def case_with_intake(personas: Any) -> Any:
    from care.models import Service, ServiceDelivery

    case = personas.case_a
    case.tppo_process = ["recruitment", "transport"]
    case.tppo_means = ["deception"]
    case.tppo_purpose = ["forced_labour"]
    case.modus = "migrant_work"
    case.exploitation_country = "MY"
    case.identification_region_id = "53.71"
    case.save()
    for code in ("health_rehabilitation", "legal_aid", "medical_care", "education"):
        ServiceDelivery.objects.create(case=case, service=Service.objects.get(code=code), organisation=personas.org_a,
                                       delivered_by=personas.a_caseworker, created_by=personas.a_caseworker,
                                       delivered_on=dt.date(2026, 3, 5),
                                       status=ServiceDelivery.Status.RECORDED)
    return case


def test_mapping_of_a_case(personas: Any, case_with_intake: Any) -> None:
    region = simfoni.allowed_regions(personas.org_a).get(code="53.71")
    cases = list(simfoni.cases_for_export(personas.org_a, region, dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert cases == [case_with_intake]
    header, row = simfoni.rows_for_export(cases)
    data = dict(zip(header, row, strict=True))
    assert data["bentuk_kekerasan"] == "Perdagangan Orang (TPPO)"
    assert data["jenis_kelamin_korban"] == "Perempuan" and data["korban_anak"] == "Tidak"
    assert data["tanggal_pelaporan"] == "2026-03-02"
    assert data["provinsi_kejadian"].startswith("53 ") and data["kabupaten_kota_kejadian"].startswith("53.71 ")
    assert data["layanan_diterima"] == "Bantuan Hukum; Kesehatan; Lainnya"
    assert data["proses_tppo"] == "recruitment; transport" and data["tujuan_eksploitasi"] == "forced labour or services"
    assert data["negara_eksploitasi"] == "MY" and data["unit_layanan"] == "UPTD PPA Kota Kupang"
    assert data["no_registrasi_sintas"] == str(case_with_intake.pk)


def test_three_queries_whatever_the_number_of_cases(personas: Any, case_with_intake: Any,
                                                    django_assert_max_num_queries: Any) -> None:
    region = simfoni.allowed_regions(personas.org_a).get(code="53.71")
    with django_assert_max_num_queries(3):
        cases = list(simfoni.cases_for_export(personas.org_a, region, dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
        simfoni.rows_for_export(cases)


def test_supervisor_downloads_csv_and_excel_and_each_case_is_access_logged(personas: Any, case_with_intake: Any) -> None:
    client = en_client(personas.a_supervisor)
    url = reverse("releases:simfoni")
    page = client.get(url, {**PERIOD, "region": "53.71"})
    assert page.status_code == 200 and "1 case in this region and period" in page.content.decode()
    assert not AccessLogEntry.objects.filter(what="simfoni_export").exists()  # counting is not showing
    response = client.get(url, {**PERIOD, "region": "53.71", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == simfoni.HEADER and len(rows) == 2
    entry = AccessLogEntry.objects.get(what="simfoni_export")
    assert entry.case_id == case_with_intake.pk and entry.user == personas.a_supervisor
    identity = case_with_intake.survivor.identity
    for secret in (case_with_intake.survivor.code, identity.full_name, identity.nik, identity.phone_numbers):
        assert secret not in text
    xlsx = client.get(url, {**PERIOD, "region": "53.71", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and [c.value for c in sheet[1]] == simfoni.HEADER
    assert AccessLogEntry.objects.filter(what="simfoni_export").count() == 2


def test_only_own_region_and_own_cases(personas: Any, case_with_intake: Any) -> None:
    client = en_client(personas.a_supervisor)
    url = reverse("releases:simfoni")
    other = client.get(url, {**PERIOD, "region": "35.78", "format": "csv"})  # Surabaya: org B's region
    assert other.status_code == 200 and "Select a valid choice" in other.content.decode()
    assert not AccessLogEntry.objects.filter(what="simfoni_export").exists()
    # org B's supervisor never gets org A's case
    b = en_client(personas.b_supervisor)
    rows = list(csv.reader(io.StringIO(b.get(url, {**PERIOD, "region": "35.78", "format": "csv"})
                                       .content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [str(personas.case_b.pk)]


def test_bad_periods_are_refused(personas: Any) -> None:
    client = en_client(personas.a_supervisor)
    page = client.get(reverse("releases:simfoni"), {"region": "53.71", "period_start": "2026-12-31",
                                                    "period_end": "2026-01-01", "format": "csv"})
    assert page.status_code == 200 and "The period ends before it starts." in page.content.decode()


@pytest.mark.parametrize("who", ["a_caseworker", "a_me", "a_admin", "a_psychologist", "platform", "outsider"])
def test_other_roles_get_404(personas: Any, who: str) -> None:
    client = en_client(personas.users[who])
    assert client.get(reverse("releases:simfoni"), {**PERIOD, "region": "53.71", "format": "csv"}).status_code == 404
    assert client.get("/api/v1/simfoni/", {**PERIOD, "region": "53.71"}).status_code == 404


def test_api_rows_and_region_errors(personas: Any, case_with_intake: Any) -> None:
    client = en_client(personas.a_supervisor)
    data = client.get("/api/v1/simfoni/", {**PERIOD, "region": "53.71"}).json()
    assert data["columns"] == simfoni.HEADER and len(data["rows"]) == 1
    assert AccessLogEntry.objects.filter(what="simfoni_export").count() == 1
    bad = client.get("/api/v1/simfoni/", {**PERIOD, "region": "99.99"})
    assert bad.status_code == 400 and "region" in bad.json()
    reversed_period = client.get("/api/v1/simfoni/", {"region": "53.71", "period_start": "2026-12-31",
                                                      "period_end": "2026-01-01"})
    assert reversed_period.status_code == 400 and "period_end" in reversed_period.json()


def test_allowed_regions_of_a_provincial_and_a_city_unit(personas: Any) -> None:
    from accounts.models import Organisation

    province = Organisation.objects.create(name="UPTD PPA Provinsi NTT", kind="uptd_ppa", region_id="53")
    codes = list(simfoni.allowed_regions(province).values_list("code", flat=True))
    assert codes[0] == "53" and "53.71" in codes and all(len(c) <= 5 for c in codes)
    assert list(simfoni.allowed_regions(personas.org_a).values_list("code", flat=True)) == ["53.71"]
