"""Identity never travels in a URL: no route accepts it in the query string, and the caseload's
search by NIK is a POST whose result page names only a random token.

The walk GETs every URL pattern and API route (discovered as tests/test_url_walk.py does) for
organisation A's own case, as its lead caseworker, with identity in the query string. Each answer
must be a 400 that repeats nothing of it, or the same status as without it; either way the value
never appears in a ``Location`` header, in a link of the page, or anywhere it did not already.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry
from conftest import Personas, login
from tests.test_identity_logging import _body, _give_identity_everything, _mirrored, _routes
from tests.test_url_walk import other_org_objects

NIK = "5371015204990001"  # case_a's survivor (conftest)
NIK_B = "3578010107880002"  # case_b's survivor, organisation B
IDENTITY_QUERIES = [
    {"q": NIK},
    {"q": "5371 0152 0499 0001"},
    {"nik": NIK},
    {"name": "Sari Wulandari"},
    {"phone": "+6281234567890"},
    {"q": "0812-3456-7890"},
    {"address": "Jl. Melati No. 5"},
]


def _links(body: bytes) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', body.decode(errors="replace"))


def _probe(client: Client, name: str, url: str) -> list[str]:
    failures: list[str] = []
    baseline: Any = None
    for query in IDENTITY_QUERIES:
        value = next(iter(query.values()))
        variants = {value, quote(value), quote(value, safe=""), urlencode(query).split("=", 1)[1]}
        response = client.get(f"{url}?{urlencode(query)}")
        body = _body(response)
        where = f"GET {url}?{urlencode(query)} ({name}) -> {response.status_code}"
        headers = " ".join(f"{k}: {v}" for k, v in response.items())
        if any(v in headers for v in variants):
            failures.append(f"{where}: the value is in a header")
        if any(any(v in link for v in variants) for link in _links(body)):
            failures.append(f"{where}: the value is in a link of the page")
        if response.status_code == 400:
            if any(v.encode() in body for v in variants):
                failures.append(f"{where}: the refusal repeats the value")
            continue
        if baseline is None:
            baseline = client.get(url)
        if response.status_code != baseline.status_code:
            failures.append(f"{where}: without it {baseline.status_code}")
        elif any(v.encode() in body and v.encode() not in _body(baseline) for v in variants):
            failures.append(f"{where}: the value is echoed in the page")
    return failures


def test_no_route_accepts_identity_in_the_query_string(personas: Personas) -> None:
    _give_identity_everything(personas)
    client = login(Client(), personas.a_caseworker)
    own = {"case_id": personas.case_a.pk, "survivor_id": personas.case_a.survivor_id,
           "user_id": personas.a_caseworker.pk, "org_id": personas.org_a.pk}
    routes = _routes(own)
    routes += _routes(other_org_objects(_mirrored(personas)))
    assert len(routes) >= 60 and any(n.startswith("api-") for n, _ in routes), routes
    failures = [f for name, url in routes for f in _probe(client, name, url)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", ["/cases/", "/cases", "/api/v1/cases/", "/accounts/login/"])
def test_identity_in_the_query_string_is_refused_before_any_redirect(path: str) -> None:
    """Signed out, the sign-in redirect would carry the whole address in ``next``; a missing
    slash would be redirected with the query string. Both are answered 400 first."""
    response = Client().get(f"{path}?q={NIK}")
    assert response.status_code == 400
    assert "Location" not in response
    assert NIK.encode() not in response.content
    if path.startswith("/api/"):
        assert response.json()["detail"].startswith("Identitas")
    else:
        assert "Alamat" in response.content.decode() or "alamat" in response.content.decode()


def test_caseload_search_by_nik_is_a_post_that_redirects_to_a_token(personas: Personas) -> None:
    from survivors.validators import nik_hash

    client = login(Client(), personas.a_caseworker)
    response = client.post(reverse("cases:list"), {"q": "5371 0152 0499 0001", "status": "open"})
    assert response.status_code == 302
    location = response["Location"]
    assert NIK not in location and "5371" not in location and nik_hash(NIK) not in location
    assert re.fullmatch(r"/cases/\?(status=open&)?search=[\w-]{20,}(&status=open)?", location), location
    assert not any(NIK in str(v) for v in client.session.values())  # the session keeps only the keyed hash
    page = client.get(location)
    body = page.content.decode()
    assert personas.case_a.survivor.code in body and "1 kasus" in body
    assert NIK not in body  # not even in the search box
    assert AccessLogEntry.objects.filter(what="search_nik", user=personas.a_caseworker).count() == 1
    # The result page can be reloaded and paged (the token stays), and its links carry no NIK.
    assert all(NIK not in link for link in _links(page.content))
    assert personas.case_a.survivor.code in client.get(location + "&page=1").content.decode()


def test_caseload_search_by_nik_reveals_nothing_outside_the_users_scope(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)

    def result(nik: str) -> str:
        body = client.post(reverse("cases:list"), {"q": nik}, follow=True).content.decode()
        body = re.sub(r"search=[\w-]+", "search=T", body)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    other_org, nobody = result(NIK_B), result("9999019999990009")
    assert personas.case_b.survivor.code not in other_org
    assert other_org == nobody  # organisation B's survivor looks exactly like nobody at all
    assert "Tidak ada kasus Anda dengan NIK ini." in other_org


def test_a_nik_search_token_works_only_in_the_session_that_made_it(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    location = client.post(reverse("cases:list"), {"q": NIK})["Location"]
    colleague = login(Client(), personas.a_supervisor)  # sees case_a, but did not search
    body = colleague.get(location).content.decode()
    assert personas.case_a.survivor.code not in body
    assert "Pencarian NIK ini sudah berakhir" in body
    assert not AccessLogEntry.objects.filter(what="search_nik", user=personas.a_supervisor).exists()


def test_caseload_search_form_is_posted_with_csrf_protection(personas: Personas) -> None:
    client = login(Client(enforce_csrf_checks=True), personas.a_caseworker)
    page = client.get(reverse("cases:list")).content.decode()
    assert re.search(r'<form method="post"[^>]*role="search"', page)
    assert 'name="csrfmiddlewaretoken"' in page
    assert client.post(reverse("cases:list"), {"q": NIK}).status_code == 403


def test_code_search_stays_a_get_and_names_are_not_searchable(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    code = personas.case_a.survivor.code
    response = client.post(reverse("cases:list"), {"q": code.lower()})
    assert response["Location"] == f"/cases/?q={code}"
    assert code in client.get(response["Location"]).content.decode()
    # A name typed in the box: a clear error, nothing searched, nothing redirected.
    response = client.post(reverse("cases:list"), {"q": "Sari Wulandari"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nama, nomor telepon, dan alamat tidak dapat dicari." in body and code not in body
    # ... and in the address: refused, not echoed.
    response = client.get(reverse("cases:list"), {"q": "Sari Wulandari"})
    assert response.status_code == 400
    assert "Sari" not in response.content.decode() and code not in response.content.decode()



@pytest.mark.parametrize("query", [
    "page=2", "status=open&sort=code", "q=SNT-AB12-CD34", "code=snt-ab12-cd34", "region=53.71.01.1001",
    "period_start=2025-01-01&period_end=2025-12-31", "year=2026&level=organisation", "search=Xy_9-abcDEF123_ghIJ",
    "ordering=-opened_at", "partner=123456789", "next=/cases/",
])
def test_ordinary_query_strings_pass(query: str) -> None:
    """Region codes, dates, ids, survivor codes and search tokens are not mistaken for identity."""
    from django.http import QueryDict

    from survivors.middleware import identity_in_query

    assert not identity_in_query(QueryDict(query))


@pytest.mark.parametrize("query", [
    "q=5371015204990001", "q=5371+0152+0499+0001", "q=5371-0152-0499-0001", "nik=1", "NIK=1", "Name=Sari",
    "full_name=x", "phone=1", "q=%2B62+812-3456-7890", "q=081234567890", "birth_date=1999-04-12",
    "address=Oebobo", "guardian_name=Yohana",
])
def test_identity_shaped_query_strings_are_caught(query: str) -> None:
    from django.http import QueryDict

    from survivors.middleware import identity_in_query

    assert identity_in_query(QueryDict(query))
