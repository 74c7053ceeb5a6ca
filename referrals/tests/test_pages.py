"""What the partner sees: the packet and nothing else of the case; access ends; openings logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from conftest import login
from referrals import services
from referrals.models import Referral

from .conftest import NOW, send


def _case_urls(case_id: Any) -> list[str]:
    """Every page and API route that takes only a case id (plus those taking the case's survivor)."""
    from django.urls import get_resolver
    from django.urls.exceptions import NoReverseMatch

    from tests.test_url_walk import iter_patterns

    urls = []
    for name, pattern in iter_patterns(get_resolver().url_patterns):
        keys = set(pattern.pattern.regex.groupindex)
        if keys == {"case_id"}:
            try:
                urls.append(reverse(name, kwargs={"case_id": case_id}))
            except NoReverseMatch:
                continue
    return urls


def test_partner_sees_exactly_the_packet_and_404_on_every_case_url(world: Any, client: Any) -> None:
    r = send(world)
    login(client, world.nurse)
    page = client.get(reverse("referrals:detail", kwargs={"referral_id": r.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    keys = [k for k in r.packet_fields]
    for key in keys:
        assert f'data-key="{key}"' in html
    assert html.count('data-key="') == len(keys) == 3
    assert "Sari" in html and "Sakit kepala berulang" in html
    # Nothing else: not the survivor code, the surname, the NIK, the case's link.
    case = world.p.case_a
    assert case.survivor.code not in html and "Wulandari" not in html and "5371015204990001" not in html
    assert str(case.pk) not in html
    urls = _case_urls(case.pk)
    assert len(urls) > 10
    for url in urls:
        # 405: the route has no such method for anyone (as the URL walk allows); never 200 or 403.
        seen = [client.get(url).status_code, client.post(url).status_code]
        assert set(seen) <= {404, 405} and 404 in seen, (url, seen)


def test_each_packet_opening_is_logged(world: Any, client: Any) -> None:
    r = send(world)
    url = reverse("referrals:detail", kwargs={"referral_id": r.pk})
    login(client, world.nurse)
    client.get(url)
    client.get(url)
    login(client, world.p.a_caseworker)
    client.get(url)
    entries = AccessLogEntry.objects.filter(what="referral_packet", case_id=r.case_id)
    assert [e.user_id for e in entries.order_by("id")] == [world.nurse.pk, world.nurse.pk, world.p.a_caseworker.pk]
    assert entries.filter(organisation_id=world.clinic.pk).count() == 2


@pytest.mark.parametrize("ending", ["revoked", "expired", "completed", "declined"])
def test_packet_is_404_after_the_referral_ends(world: Any, client: Any, set_now: Any, ending: str) -> None:
    r = send(world)
    url = reverse("referrals:detail", kwargs={"referral_id": r.pk})
    login(client, world.nurse)
    assert client.get(url).status_code == 200
    if ending == "revoked":
        services.referral_revoke(actor=world.p.a_caseworker, referral=r, reason="Salah kirim")
    elif ending == "expired":
        set_now(NOW + dt.timedelta(days=31))
    elif ending == "completed":
        services.referral_accept(actor=world.nurse, referral=r)
        services.referral_complete(actor=world.nurse, referral=r, outcome_report="Selesai",
                                   delivered_on=dt.date(2026, 3, 5))
    else:
        services.referral_decline(actor=world.nurse, referral=r, reason="Penuh")
    assert client.get(url).status_code == 404
    # The sender's side still sees it.
    login(client, world.p.a_caseworker)
    assert client.get(url).status_code == 200


def test_other_organisations_get_404(world: Any, client: Any) -> None:
    r = send(world)
    for user in (world.p.outsider, world.p.b_supervisor, world.p.a_caseworker2, world.p.a_admin):
        login(client, user)
        for name in ("detail", "htcds"):
            assert client.get(reverse(f"referrals:{name}", kwargs={"referral_id": r.pk})).status_code == 404
        for name in ("accept", "decline", "start", "complete", "revoke"):
            assert client.post(reverse(f"referrals:{name}", kwargs={"referral_id": r.pk})).status_code == 404
    assert Referral.objects.get(pk=r.pk).status == Referral.Status.SENT


def test_pages_accept_and_complete(world: Any, client: Any, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = send(world)
    login(client, world.nurse)
    inbox = client.get(reverse("referrals:inbox"))
    assert inbox.status_code == 200 and "Medical care" in inbox.content.decode()
    client.post(reverse("referrals:accept", kwargs={"referral_id": r.pk}))
    again = client.post(reverse("referrals:accept", kwargs={"referral_id": r.pk}), follow=True)
    assert "This referral was already accepted." in again.content.decode()
    client.post(reverse("referrals:complete", kwargs={"referral_id": r.pk}),
                {"delivered_on": "2026-03-05", "outcome_report": "Pemeriksaan selesai"})
    r.refresh_from_db()
    assert r.status == Referral.Status.COMPLETED
    login(client, world.p.a_caseworker)
    case_page = client.get(reverse("cases:detail", kwargs={"case_id": r.case_id})).content.decode()
    assert "Pemeriksaan selesai" in case_page and "completed" in case_page


def test_sender_sends_through_the_page(world: Any, client: Any, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, world.p.a_caseworker)
    url = reverse("referrals:new", kwargs={"case_id": world.p.case_a.pk})
    page = client.get(url, {"partner": world.clinic.pk, "service": "medical_care"})
    assert page.status_code == 200 and 'name="packet_fields"' in page.content.decode()
    response = client.post(url, {
        "partner": world.clinic.pk, "service": "medical_care", "template": "health", "service_region": "53.71",
        "packet_fields": ["survivor.sex", "referral.health_needs"], "text_referral.health_needs": "Demam",
        "lawful_basis": "consent",
    })
    r = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail",
                                                                           kwargs={"referral_id": r.pk})
    assert r.values() == {"survivor.sex": "female", "referral.health_needs": "Demam"}
    # A refusal shows its message on the page and saves nothing.
    bad = client.post(url, {"partner": world.clinic.pk, "service": "medical_care", "template": "health",
                            "service_region": "53.71", "packet_fields": ["referral.health_needs"], "lawful_basis": "consent"})
    assert "Write the text to share" in bad.content.decode() and Referral.objects.count() == 1


def test_unread_count_and_context_processor(world: Any, client: Any, settings: Any) -> None:
    import copy

    from referrals.selectors import unread_count

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append("referrals.context_processors.referrals_nav")
    settings.TEMPLATES = templates  # the lead adds it to settings; until then the header shows nothing
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = send(world)
    send(world, service="health_rehabilitation")
    assert unread_count(world.nurse) == 2
    login(client, world.nurse)
    html = client.get(reverse("referrals:inbox")).content.decode()
    assert '<span class="badge" aria-label="2 unread">2</span>' in html
    client.get(reverse("referrals:detail", kwargs={"referral_id": r.pk}))
    assert unread_count(world.nurse) == 1 and unread_count(world.nurse2) == 2


def test_case_file_section_costs_one_query(world: Any, client: Any) -> None:
    from core.sections import CaseSection
    from referrals.sections import referrals_section

    send(world)
    send(world, service="health_rehabilitation")

    class Req:
        user = world.p.a_caseworker

    from access import policy

    case = policy.case_get_for_user(world.p.a_caseworker, world.p.case_a.pk)
    policy.can(world.p.a_caseworker, "view", case)  # the team check is cached per request
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        section = referrals_section(Req(), case)
    assert isinstance(section, CaseSection) and len(section.context["referrals"]) == 2
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]


def test_packet_downloads_as_htcds_json(world: Any, client: Any) -> None:
    r = send(world, fields=["identity.first_name", "survivor.sex", "referral.health_needs"])
    login(client, world.nurse)
    response = client.get(reverse("referrals:htcds", kwargs={"referral_id": r.pk}))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    doc = response.json()
    assert doc["prs_FirstName"] == "Sari" and doc["prs_Gender"] == "Feminine"
    assert doc["x_sintas_extension"] == {"referral.health_needs": "Sakit kepala berulang"}
    assert AccessLogEntry.objects.filter(what="referral_packet", user=world.nurse).count() == 1
    api = client.get(f"/api/v1/referrals/{r.pk}/htcds/").json()
    assert api["prs_Gender"] == "Feminine"


def test_header_entries(world: Any, client: Any, settings: Any) -> None:
    import copy

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append("referrals.context_processors.referrals_nav")
    settings.TEMPLATES = templates
    login(client, world.p.a_admin)
    html = client.get(reverse("partners:edit")).content.decode()
    assert f'href="{reverse("partners:edit")}"' in html and f'href="{reverse("referrals:inbox")}"' not in html
    login(client, world.p.a_me)  # neither works on cases nor edits the profile
    html = client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("partners:search")}"' not in html
