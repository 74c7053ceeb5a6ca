"""Faults and bad input are answered, not crashed: error pages in Indonesian, 503 while the database
is unreachable (JSON under /api/), OPTIONS on every API route, a lone surrogate in an HTCDS import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import get_resolver, path, reverse

from api.tests.conftest import token_client
from cases.models import Case
from conftest import PASSWORD, Personas, login
from survivors.models import Identity, Survivor
from tests.test_url_walk import NONEXISTENT, iter_patterns

UNAVAILABLE_ID = "Sintas sedang tidak dapat menghubungi basis data; silakan coba lagi dalam satu menit."


# --- a URL configuration with views that fail, beside the real one (its error handlers too) -------


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered")


from sintas.urls import handler400, handler403, handler404, handler500  # noqa: E402,F401 - this URLconf's handlers
from sintas.urls import urlpatterns as _site  # noqa: E402

urlpatterns = [path("boom/", _boom), path("api/v1/boom/", _boom), path("forbidden/", _forbidden),
               path("bad/", _bad), *_site]


@pytest.fixture
def failing_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


@pytest.fixture
def database_down() -> Iterator[mock.MagicMock]:
    """The database refuses every new query, as during a restart."""
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=refused) as patched:
        yield patched


def _assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert 'class="error-page service-unavailable"' in body
    assert UNAVAILABLE_ID in body
    assert "Server Error" not in body


def test_a_page_answers_the_503_page_while_the_database_is_unreachable(personas: Personas) -> None:
    client = login(Client(raise_request_exception=False), personas.a_caseworker)
    url = reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    with mock.patch.object(connections["default"], "ensure_connection",
                           side_effect=InterfaceError("connection already closed")):
        response = client.get(url)
    _assert_unavailable_page(response)
    assert client.get(url).status_code == 200  # the next request, with the database back, just works


def test_the_sign_in_page_answers_503_while_the_database_is_unreachable(personas: Personas,
                                                                        database_down: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.post(reverse("accounts:login"), {"username": "a_caseworker", "password": PASSWORD})
    _assert_unavailable_page(response)


def test_the_api_answers_json_503_with_retry_after(personas: Personas) -> None:
    token = token_client(personas.a_caseworker)
    session = login(Client(raise_request_exception=False), personas.a_caseworker)
    with mock.patch.object(connections["default"], "ensure_connection",
                           side_effect=OperationalError("server closed the connection unexpectedly")):
        by_token = token.get("/api/v1/cases/")  # fails inside the API view (token look-up)
        by_session = session.get("/api/v1/cases/")  # fails in the middleware (the session's user)
    for response in (by_token, by_session):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Content-Type"].startswith("application/json")
        assert set(response.json()) == {"detail"}
    assert "database" in by_token.json()["detail"]  # the token client asked for English


def test_a_locked_sqlite_database_is_503_too(personas: Personas) -> None:
    client = login(Client(raise_request_exception=False), personas.a_caseworker)
    with mock.patch("access.policy.case_get_for_user", side_effect=OperationalError("database is locked")):
        response = client.get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    _assert_unavailable_page(response)


@pytest.mark.django_db(transaction=True)
def test_the_broken_connection_is_closed_so_the_next_request_reconnects(personas: Personas) -> None:
    client = login(Client(raise_request_exception=False), personas.a_caseworker)
    url = reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    connection = connections["default"]
    with mock.patch.object(connection, "close", wraps=connection.close) as close, \
            mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("Connection refused")):
        response = client.get(url)
    assert response.status_code == 503
    assert close.called
    assert client.get(url).status_code == 200


# --- the other error pages --------------------------------------------------------------------------


def test_an_unknown_page_answers_the_indonesian_404_page(personas: Personas) -> None:
    response = login(Client(), personas.a_caseworker).get("/tidak-ada/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body
    assert "Kembali ke beranda" in body
    assert personas.a_caseworker.display_name not in body  # rendered without the user (or the database)


def test_an_unknown_api_route_answers_json_404() -> None:
    response = Client().get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


def test_a_bug_answers_the_indonesian_500_page_with_debug_off(failing_urls: None) -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Terjadi kesalahan" in body and "Data yang sudah Anda simpan tidak hilang" in body
    assert "a bug" not in body and "Traceback" not in body and "Retry-After" not in response


def test_a_bug_in_the_api_answers_json_500(failing_urls: None) -> None:
    response = Client(raise_request_exception=False).get("/api/v1/boom/")
    assert response.status_code == 500
    assert set(response.json()) == {"detail"}
    assert "a bug" not in response.content.decode()


def test_forbidden_and_bad_requests_have_indonesian_pages(failing_urls: None) -> None:
    forbidden = Client().get("/forbidden/")
    assert forbidden.status_code == 403 and "Tidak diizinkan" in forbidden.content.decode()
    bad = Client().get("/bad/")
    assert bad.status_code == 400 and "Permintaan tidak valid" in bad.content.decode()
    assert "tampered" not in bad.content.decode()


def test_the_error_pages_offer_english_through_the_catalogue(personas: Personas) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/tidak-ada/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


# --- OPTIONS on every API route ---------------------------------------------------------------------


def _api_urls(ids: dict[str, Any]) -> list[str]:
    urls = []
    for name, pattern in iter_patterns(get_resolver().url_patterns):
        if not name.startswith("api-") and not str(pattern.pattern).startswith("api"):
            continue
        keys = set(pattern.pattern.regex.groupindex)
        try:
            urls.append(reverse(name, kwargs={k: ids[k] for k in keys}))
        except Exception as exc:  # a keyword nobody can fill is a test to update, not a skip
            raise AssertionError(f"{name}: cannot build a URL ({exc})") from exc
    return urls


def test_options_on_every_api_route_never_fails(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    real = {**NONEXISTENT, "case_id": personas.case_a.pk, "survivor_id": personas.case_a.survivor_id}
    urls = sorted({*_api_urls(NONEXISTENT), *_api_urls(real)})
    api_urls = [u for u in urls if u.startswith("/api/v1/")]
    assert len(api_urls) > 60  # every room's routes are walked
    failures = []
    for url in api_urls:
        response = client.options(url)
        if response.status_code >= 500 or response.status_code not in (200, 404):
            failures.append(f"OPTIONS {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)
    described = client.options(f"/api/v1/cases/{personas.case_a.pk}/plan/").json()
    assert "PUT" in described["actions"]  # the write method's fields are still described


# --- a lone UTF-16 surrogate in an HTCDS import -------------------------------------------------------

# "\ud800" escaped inside a JSON string: valid JSON, but half of a UTF-16 pair, not text.
SURROGATE_DOC = ('{"prs_FirstName": "Dewi\\ud800", "prs_SecondName": "Lestari", "prs_Gender": "Feminine", '
                 '"x_sintas_extension": {"case.channel": "ngo_outreach"}}')


def _counts() -> tuple[int, int, int]:
    return Survivor.objects.count(), Case.objects.count(), Identity.objects.count()


def test_a_lone_surrogate_in_an_uploaded_document_is_refused_and_nothing_written(personas: Personas) -> None:
    before = _counts()
    client = login(Client(), personas.a_caseworker)
    upload = SimpleUploadedFile("dewi.json", SURROGATE_DOC.encode(), content_type="application/json")
    response = client.post(reverse("interop:import"), {"document": upload, "channel": "ngo_outreach"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "prs_FirstName" in body and "separuh pasangan karakter UTF-16" in body
    assert _counts() == before


def test_a_lone_surrogate_sent_to_the_import_api_is_refused_and_nothing_written(personas: Personas) -> None:
    before = _counts()
    body = '{"document": ' + SURROGATE_DOC + ', "guardian_override_reason": ""}'
    response = token_client(personas.a_caseworker).post("/api/v1/interop/htcds/import/", body,
                                                        content_type="application/json")
    assert response.status_code == 400
    assert "UTF-16" in response.json()["prs_FirstName"][0]
    assert _counts() == before
    assert json.loads(SURROGATE_DOC)["prs_FirstName"].endswith("\ud800")  # the JSON itself is valid
