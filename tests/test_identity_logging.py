"""Every page or API response that shows a survivor's identity writes an access-log entry.

The walk GETs every URL pattern and API route (discovered as tests/test_url_walk.py does, with
the rooms' ``tests/walk.py`` objects, here built for organisation A's own case) as the lead
caseworker of that case, who may see its identity. A response whose body contains any of the
survivor's identity values (name, aliases, NIK, date of birth as shown, phone, address, a
guardian's name or phone, the photo's bytes) must have written an access-log entry for that
survivor, or the test fails naming the route. New routes are covered without anyone remembering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from audit.models import AccessLogEntry
from conftest import Personas, login
from tests.test_url_walk import iter_patterns, other_org_objects

PHOTO = b"\x89PNG\r\n\x1a\nSINTAS-WALK-PHOTO-OF-THE-SURVIVOR"
GUARDIAN_NAME = "Yohana Ndolu"
GUARDIAN_PHONE = "+6285298765432"
ALIASES = "Nona Oebobo"


def _identity_values(personas: Personas) -> list[bytes]:
    """What would identify case_a's survivor, in the forms pages, JSON and files show it."""
    birth = dt.date(1999, 4, 12)
    texts = [
        "Sari Wulandari", "Wulandari", ALIASES, "5371015204990001", "5371 0152 0499 0001", "81234567890",
        "Jl. Melati No. 5", GUARDIAN_NAME, "85298765432",
        birth.isoformat(), "12 Apr 1999", "12 April 1999", "12/04/1999", "12-04-1999", "12.04.1999",
    ]
    return [t.encode() for t in texts] + [PHOTO]


def _give_identity_everything(personas: Personas) -> None:
    """Case A's survivor gets aliases, a guardian and a photo, so every kind of identity can show."""
    from survivors.models import Identity
    from survivors.services import guardian_add

    identity = Identity.objects.get(survivor_id=personas.case_a.survivor_id)
    identity.aliases = ALIASES
    identity.photo, identity.photo_content_type = PHOTO, "image/png"
    identity.save()
    guardian_add(actor=personas.a_caseworker, case=personas.case_a, full_name=GUARDIAN_NAME,
                 relationship="mother", phone=GUARDIAN_PHONE)


def _mirrored(p: Personas) -> Personas:
    """The personas with organisations A and B swapped, so the rooms' ``other_org_objects`` (built
    for organisation B's case) build the same objects for organisation A's case instead."""
    users = {}
    for key, user in p.users.items():
        if key.startswith("a_"):
            users["b_" + key[2:]] = user
        elif key.startswith("b_"):
            users["a_" + key[2:]] = user
        else:
            users[key] = user
    return dataclasses.replace(p, org_a=p.org_b, org_b=p.org_a, users=users, case_a=p.case_b, case_b=p.case_a)


def _referral_with_identity(personas: Personas) -> Any:
    """A referral of case A whose packet names the survivor (as a shelter referral may)."""
    import json

    from accounts.models import Organisation
    from care.models import Service
    from core import clock
    from referrals.models import Referral

    org = Organisation.objects.create(name="Rumah Aman Walk Kupang", kind="ngo", region_id="53.71")
    now = clock.now()
    fields = ["identity.first_name", "identity.second_name", "identity.nik"]
    return Referral.objects.create(
        case=personas.case_a, sender_organisation=personas.org_a, sent_by=personas.a_caseworker,
        recipient_organisation=org, service=Service.objects.get(code="medical_care"), service_region_id="53.71",
        template="general", lawful_basis="vital_interest", basis_reason="walk", packet_fields=fields,
        packet_values=json.dumps({"identity.first_name": "Sari", "identity.second_name": "Wulandari",
                                  "identity.nik": "5371015204990001"}),
        sent_at=now, respond_by=now, last_event_at=now,
    ).pk


def _routes(objects: dict[str, Any]) -> list[tuple[str, str]]:
    """Every named route whose URL keywords ``objects`` can fill (routes without keywords too)."""
    routes = []
    for name, pattern in iter_patterns(get_resolver().url_patterns):
        keys = set(pattern.pattern.regex.groupindex)
        if "format" in keys or not keys <= set(objects):
            continue
        try:
            routes.append((name, reverse(name, kwargs={k: objects[k] for k in keys})))
        except Exception:  # noqa: BLE001, S112 (a converter that cannot take this object's id)
            continue
    return routes


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _walk(client: Client, personas: Personas, routes: list[tuple[str, str]],
          walker: str = "a_caseworker") -> tuple[list[str], set[str]]:
    """GET each route; return the failures and the names of the routes that showed identity."""
    user = personas.users[walker]
    survivor, case = personas.case_a.survivor_id, personas.case_a.pk
    values = _identity_values(personas)
    failures, showing = [], set()
    for name, url in routes:
        last = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(url)
        body = _body(response)
        shown = [v for v in values if v in body]
        if not shown:
            continue
        showing.add(name)
        logged = AccessLogEntry.objects.filter(id__gt=last, user=user).filter(
            survivor_id=survivor) | AccessLogEntry.objects.filter(id__gt=last, user=user, case_id=case)
        if not logged.exists():
            failures.append(f"GET {url} ({name}) -> {response.status_code} shows {shown[0]!r} but wrote no access-log entry")
    return failures, showing


# The lead caseworker sees and edits identity; the psychologist on the team sees it.
SHOWN_TO = {
    "a_caseworker": {"cases:identity", "cases:identity_edit", "cases:photo", "cases:consent_new",
                     "cases:consent_amend", "api-case-identity", "referrals:detail"},
    "a_psychologist": {"cases:identity", "cases:photo", "api-case-identity"},
}


@pytest.mark.parametrize("walker", sorted(SHOWN_TO))
def test_every_route_that_shows_identity_writes_an_access_log_entry(personas: Personas, walker: str) -> None:
    _give_identity_everything(personas)
    user = personas.users[walker]
    client = login(Client(), user)
    # First the open case's own pages (the edit pages answer only while the case is open) ...
    own = {"case_id": personas.case_a.pk, "survivor_id": personas.case_a.survivor_id,
           "user_id": user.pk, "org_id": personas.org_a.pk}
    failures, showing = _walk(client, personas, _routes(own), walker)
    # ... then every room's objects of that case (building them closes the case) ...
    objects = other_org_objects(_mirrored(personas))
    more_failures, more_showing = _walk(client, personas, _routes(objects), walker)
    # ... and a referral whose packet carries identity (the rooms' walk object carries only the sex).
    objects["referral_id"] = _referral_with_identity(personas)
    referral_routes = [r for r in _routes(objects) if "referral" in r[0]]
    referral_failures, referral_showing = _walk(client, personas, referral_routes, walker)
    failures += more_failures + referral_failures
    assert not failures, "\n".join(failures)
    # The walk really reaches identity: the identity page, its edit form, the photo, the API...
    showing |= more_showing | referral_showing
    assert SHOWN_TO[walker] <= showing, showing


@pytest.mark.parametrize("name", ["cases:list", "cases:detail", "api-case-list", "api-case-detail",
                                  "api-survivor-list", "api-survivor-detail", "cases:history"])
def test_lists_and_the_case_file_show_no_identity(personas: Personas, name: str) -> None:
    """The caseload, the case file and the pseudonymous API never show identity (so they need no
    identity entry): a regression here would put names where the access log does not expect them."""
    _give_identity_everything(personas)
    client = login(Client(), personas.a_caseworker)
    kwargs = {"case_id": personas.case_a.pk} if "detail" in name or "history" in name else {}
    if name == "api-survivor-detail":
        kwargs = {"survivor_id": personas.case_a.survivor_id}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    body = _body(response)
    shown = [v for v in _identity_values(personas) if v in body]
    assert not shown, shown


def test_the_identity_edit_form_is_logged_once_per_showing(personas: Personas) -> None:
    _give_identity_everything(personas)
    client = login(Client(), personas.a_caseworker)
    response = client.get(reverse("cases:identity_edit", kwargs={"case_id": personas.case_a.pk}))
    assert "5371015204990001" in response.content.decode()
    entries = AccessLogEntry.objects.filter(user=personas.a_caseworker, case_id=personas.case_a.pk,
                                            survivor_id=personas.case_a.survivor_id, what="identity")
    assert entries.count() == 1
    # The identity page shows the identity and the guardians: still one entry for one showing.
    client.get(reverse("cases:identity", kwargs={"case_id": personas.case_a.pk}))
    assert entries.count() == 2


def test_a_team_member_who_may_not_see_identity_writes_no_identity_entry(personas: Personas) -> None:
    """Refused before anything is read: a 404 shows nothing and logs no showing."""
    client = login(Client(), personas.a_caseworker2)  # same organisation, not on the case team
    response = client.get(reverse("cases:identity_edit", kwargs={"case_id": personas.case_a.pk}))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(user=personas.a_caseworker2, what="identity").exists()
