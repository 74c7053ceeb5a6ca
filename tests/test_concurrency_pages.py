"""A stale save on a page, as the user sees it (in Indonesian): refused, the difference shown, nothing lost."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from api.tests.conftest import token_client
from cases.models import Case
from cases.services import case_intake_update
from conftest import Personas, login
from survivors.models import Identity
from survivors.services import identity_update


def _version_in(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found is not None
    return found.group(1)


def test_two_people_edit_the_intake_the_second_sees_the_difference_and_decides(
        personas: Personas, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC), tick=False)
    p = personas
    url = reverse("cases:intake", kwargs={"case_id": p.case_a.pk})
    client = login(Client(), p.a_caseworker)
    opened = client.get(url)
    form = opened.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "", [])}
    assert data["version"] == 1
    # Meanwhile the supervisor records the notes and the urgent needs.
    case_intake_update(actor=p.a_supervisor, case=p.case_a,
                       values={"intake_notes": "Dicatat supervisor", "urgent_needs": ["medical"]})

    response = client.post(url, {**data, "intake_notes": "Dicatat pendamping"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Data ini telah diubah oleh orang lain sejak Anda membukanya" in html
    assert "Orang lain sudah lebih dulu menyimpan data ini" in html
    diff = html[html.index("data-conflict"):html.index("</section>", html.index("data-conflict"))]
    assert "Dicatat supervisor" in diff and "Dicatat pendamping" in diff  # saved now, beside the user's
    # Rows are labelled as the form is, and each changed field has one: the notes and the urgent needs.
    assert "Catatan penerimaan kasus" in diff and "Kebutuhan mendesak saat penerimaan kasus" in diff
    assert diff.count("<tr>") == 3  # the header and the two fields that differ
    assert "Dicatat pendamping</textarea>" in html  # the user's typing is kept in the form
    assert _version_in(html) == "2"  # and the form is now based on what they have just been shown
    case = Case.objects.get(pk=p.case_a.pk)
    assert (case.intake_notes, case.urgent_needs, case.version) == ("Dicatat supervisor", ["medical"], 2)

    # Having compared, the user saves again: now it is their decision, and it is saved.
    again = client.post(url, {**data, "version": "2", "intake_notes": "Dicatat pendamping"})
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.intake_notes == "Dicatat pendamping" and case.version == 3


def test_a_stale_identity_save_keeps_the_other_persons_name(personas: Personas) -> None:
    p = personas
    url = reverse("cases:identity_edit", kwargs={"case_id": p.case_a.pk})
    client = login(Client(), p.a_caseworker)
    opened = client.get(url)
    version = _version_in(opened.content.decode())
    identity_update(actor=p.a_caseworker, case=p.case_a,
                    values={"phone_numbers": "+6281111111111"})
    response = client.post(url, {"version": version, "full_name": "Sari Wulandari", "phone_numbers": "+6282222222222",
                                 "nik": "5371015204990001", "birth_date": "1999-04-12",
                                 "address": "Jl. Melati No. 5, Oebobo"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "+6281111111111" in html and "+6282222222222" in html
    assert Identity.objects.get(survivor=p.case_a.survivor).phone_numbers == "+6281111111111"


def test_the_api_takes_the_etag_back_weak_or_strong_and_refuses_a_malformed_one(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_caseworker)
    url = f"/api/v1/cases/{p.case_a.pk}/identity/"
    got = api.get(url)
    assert got["ETag"] == '"1"' and got.json()["version"] == 1
    saved = api.patch(url, {"aliases": "Sari"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert saved.status_code == 200 and saved["ETag"] == '"2"'
    bad = api.patch(url, {"aliases": "x"}, format="json", HTTP_IF_MATCH="*")
    assert bad.status_code == 400 and "If-Match" in bad.json()
    stale = api.patch(url, {"aliases": "x"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert stale.json() == {"detail": stale.json()["detail"], "version": 2, "changed_fields": ["aliases"]}
    assert "Sari" not in stale.content.decode()  # identity values are not echoed: read them with a GET
    assert Identity.objects.get(survivor=p.case_a.survivor).aliases == "Sari"
