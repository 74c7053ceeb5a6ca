"""The HTCDS export of one case to another organisation's system applies the recorded lawful basis
(survivors.lawful_use.sharing_basis): a consent in force for data sharing or a referral that names
the recipient, or a legal obligation or vital interest with its reason. Refused otherwise, with a
clear message and nothing exported; every attempt is in the change history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry, ChangeRecord
from conftest import login
from interop.services import EXPORT_LOG_MODEL
from survivors.services import ConsentInput, consent_record, consent_withdraw

NOW = dt.datetime(2026, 6, 2, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def _consent(p: Any, *, purpose: str = "data_sharing", recipient: Any = None, expires_on: dt.date | None = None,
             given_on: dt.date = dt.date(2026, 3, 2)) -> Any:
    return consent_record(actor=p.a_caseworker, case=p.case_a, data=ConsentInput(
        purpose=purpose, lawful_basis="consent", given_by="survivor", given_on=given_on,
        recipient_organisation_id=recipient.pk if recipient else None, scope="HTCDS", expires_on=expires_on))


def _client(user: Any) -> Client:
    """Signed in, pages in English (the msgids asserted here)."""
    client = login(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(p: Any) -> str:
    return reverse("interop:export", kwargs={"case_id": p.case_a.pk})


def _log(p: Any) -> list[dict[str, Any]]:
    return [{k: v[1] for k, v in r.changes.items()}
            for r in ChangeRecord.objects.filter(model=EXPORT_LOG_MODEL, case_id=p.case_a.pk).order_by("id")]


def _exported(p: Any) -> bool:
    return AccessLogEntry.objects.filter(what="export", case_id=p.case_a.pk).exists()


def test_the_form_offers_every_other_organisation(personas: Any) -> None:
    p = personas
    page = _client(p.a_caseworker).get(_url(p)).content.decode()
    assert p.org_b.name in page and p.org_c.name in page
    assert f'value="{p.org_a.pk}"' not in page  # not the lead organisation itself
    assert "Receiving organisation" in page and "Lawful basis" in page
    assert not _log(p) and not _exported(p)  # opening the form exports nothing


def test_a_consent_naming_the_recipient_exports_and_is_logged(personas: Any) -> None:
    p = personas
    consent = _consent(p, recipient=p.org_b)
    response = _client(p.a_caseworker).post(_url(p), {"recipient_organisation": str(p.org_b.pk),
                                                              "lawful_basis": "consent"})
    assert response["Content-Type"] == "application/json" and b'"htcds_version": "2.0"' in response.content
    assert response["Content-Disposition"].startswith("attachment;")
    assert _log(p) == [{"format": "HTCDS 2.0", "recipient_organisation": p.org_b.pk, "lawful_basis": "consent",
                        "consent": str(consent.pk), "basis_reason": "", "outcome": "exported"}]
    assert AccessLogEntry.objects.get(what="export", case_id=p.case_a.pk).user == p.a_caseworker


def _none(p: Any) -> None:
    return None


def _for_another_organisation(p: Any) -> None:
    _consent(p, recipient=p.org_c)


def _for_statistics(p: Any) -> None:
    _consent(p, purpose="statistics", recipient=p.org_b)


def _withdrawn(p: Any) -> None:
    consent_withdraw(actor=p.a_caseworker, case=p.case_a, record=_consent(p, recipient=p.org_b),
                     reason="the survivor does not want it shared")


def _expired(p: Any) -> None:
    _consent(p, recipient=p.org_b, expires_on=dt.date(2026, 6, 1))


REFUSALS = [_none, _for_another_organisation, _for_statistics, _withdrawn, _expired]


@pytest.mark.parametrize("state", REFUSALS, ids=[fn.__name__.strip("_") for fn in REFUSALS])
def test_without_a_covering_consent_the_export_is_refused_nothing_leaves_and_it_is_logged(
        personas: Any, state: Any) -> None:
    p = personas
    state(p)
    response = _client(p.a_caseworker).post(_url(p), {"recipient_organisation": str(p.org_b.pk),
                                                              "lawful_basis": "consent"})
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html") and "htcds_version" not in page
    assert "No consent of the survivor in force covers sharing this case with Dinas Sosial Kota Surabaya" in page
    assert not _exported(p)
    [entry] = _log(p)
    assert entry["outcome"] == "refused" and entry["recipient_organisation"] == p.org_b.pk
    assert entry["consent"] is None and "No consent of the survivor" in entry["refused_because"][0]


@pytest.mark.parametrize(("form", "message"), [
    ({"lawful_basis": "legal_obligation", "basis_reason": "  "}, "Give the legal provision or reason for this basis."),
    ({"lawful_basis": "vital_interest"}, "Give the legal provision or reason for this basis."),
])
def test_another_basis_needs_its_reason(personas: Any, form: dict[str, str], message: str) -> None:
    p = personas
    page = _client(p.a_caseworker).post(_url(p), {"recipient_organisation": str(p.org_b.pk), **form})
    assert message in page.content.decode() and not _exported(p)
    assert _log(p)[0]["outcome"] == "refused"


def test_a_legal_obligation_with_its_reason_exports(personas: Any) -> None:
    p = personas
    response = _client(p.a_caseworker).post(_url(p), {
        "recipient_organisation": str(p.org_c.pk), "lawful_basis": "legal_obligation",
        "basis_reason": "UU 21/2007 Pasal 51: rehabilitation by the government"})
    assert response["Content-Type"] == "application/json" and _exported(p)
    entry = _log(p)[0]
    assert entry["lawful_basis"] == "legal_obligation" and entry["consent"] is None
    assert entry["basis_reason"] == "UU 21/2007 Pasal 51: rehabilitation by the government"


def test_withdrawing_the_consent_stops_the_next_export(personas: Any) -> None:
    p = personas
    consent = _consent(p, recipient=p.org_b, purpose="referral")
    client = _client(p.a_caseworker)
    form = {"recipient_organisation": str(p.org_b.pk), "lawful_basis": "consent"}
    assert client.post(_url(p), form)["Content-Type"] == "application/json"
    consent_withdraw(actor=p.a_caseworker, case=p.case_a, record=consent, reason="changed her mind")
    assert client.post(_url(p), form)["Content-Type"].startswith("text/html")
    assert [e["outcome"] for e in _log(p)] == ["exported", "refused"]
    assert AccessLogEntry.objects.filter(what="export", case_id=p.case_a.pk).count() == 1


def test_api_export_needs_the_basis_too(personas: Any) -> None:
    p = personas
    client = _client(p.a_caseworker)
    url = f"/api/v1/cases/{p.case_a.pk}/htcds/"
    assert client.get(url).status_code == 405  # the recipient and the basis are required: POST
    refused = client.post(url, {"recipient_organisation": p.org_b.pk}, content_type="application/json")
    assert refused.status_code == 400 and "No consent of the survivor" in str(refused.json()["lawful_basis"])
    assert "htcds_version" not in refused.content.decode() and not _exported(p)
    own = client.post(url, {"recipient_organisation": p.org_a.pk, "lawful_basis": "vital_interest",
                            "basis_reason": "x"}, content_type="application/json")
    assert own.status_code == 400 and "recipient_organisation" in own.json()
    other = client.post(url, {"recipient_organisation": p.org_b.pk, "lawful_basis": "public_task",
                              "basis_reason": "x"}, content_type="application/json")
    assert other.status_code == 400 and other.json()["lawful_basis"] == ["Choose a value from the list."]
    consent = _consent(p, recipient=p.org_b)
    ok = client.post(url, {"recipient_organisation": p.org_b.pk, "consent": str(consent.pk)},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["htcds_version"] == "2.0" and _exported(p)
    assert [e["outcome"] for e in _log(p)] == ["refused", "refused", "refused", "exported"]


def test_query_count_does_not_grow_with_the_survivors_consent_records(personas: Any) -> None:
    p = personas
    client = _client(p.a_caseworker)
    form = {"recipient_organisation": str(p.org_b.pk), "lawful_basis": "consent"}
    client.get(_url(p))  # the session and the user are loaded once
    counts = []
    for _round in range(2):
        for _n in range(5):
            _consent(p, recipient=p.org_b)
            _consent(p, recipient=p.org_c, purpose="referral")
        with CaptureQueriesContext(connection) as queries:
            assert client.post(_url(p), form)["Content-Type"] == "application/json"
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_form_and_the_refusal_speak_indonesian(personas: Any) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)  # Indonesian first
    page = client.get(_url(p)).content.decode()
    assert "Lembaga penerima" in page and "Kasus hanya keluar atas dasar hukum pemrosesan" in page
    refused = client.post(_url(p), {"recipient_organisation": str(p.org_b.pk), "lawful_basis": "consent"})
    assert "Tidak ada persetujuan penyintas yang berlaku untuk membagikan kasus ini" in refused.content.decode()
    section = client.get(reverse("cases:detail", kwargs={"case_id": p.case_a.pk})).content.decode()
    assert "atas persetujuan yang menyebut lembaga itu" in section


def test_the_service_itself_refuses_someone_outside_the_case(personas: Any) -> None:
    from django.http import Http404

    from interop.services import case_export_to

    p = personas
    _consent(p, recipient=p.org_b)
    with pytest.raises(Http404):
        case_export_to(actor=p.b_supervisor, case=p.case_a, recipient_organisation_id=p.org_b.pk,
                       lawful_basis="consent")
    assert not _log(p) and not _exported(p)
