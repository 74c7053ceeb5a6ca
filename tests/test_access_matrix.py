"""The access matrix: for every role, on a case of its own organisation and of the other,
for list, detail, edit, identity view and API: exactly the intended outcomes (404 outside scope)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas, login

# persona -> (in caseload list, detail, edit intake, identity, API detail) for its OWN organisation's case_a.
OWN_CASE = {
    "a_caseworker": (True, 200, 200, 200, 200),  # lead caseworker
    "a_psychologist": (True, 200, 404, 200, 200),  # on the team, not a caseworker: reads, does not edit
    "a_supervisor": (True, 200, 200, 404, 200),  # supervises the organisation, not on the team: no identity
    "a_caseworker2": (False, 404, 404, 404, 404),  # same organisation, not on the team
    "a_health": (False, 404, 404, 404, 404),
    "a_legal": (False, 404, 404, 404, 404),
    "a_livelihood": (False, 404, 404, 404, 404),
    "a_me": (None, 404, 404, 404, 404),  # M&E: aggregates only, no caseload at all
    "a_admin": (None, 404, 404, 404, 404),  # organisation administrator: no case access from that role
    "platform": (None, 404, 404, 404, 404),
    "outsider": (False, 404, 404, 404, 404),
}


def _outcomes(client: Client, case: object) -> tuple[bool | None, int, int, int, int]:
    listing = client.get(reverse("cases:list"))
    if listing.status_code == 404:
        in_list: bool | None = None
    else:
        assert listing.status_code == 200
        in_list = case.survivor.code in listing.content.decode()  # type: ignore[attr-defined]
    pk = case.pk  # type: ignore[attr-defined]
    return (
        in_list,
        client.get(reverse("cases:detail", kwargs={"case_id": pk})).status_code,
        client.get(reverse("cases:intake", kwargs={"case_id": pk})).status_code,
        client.get(reverse("cases:identity", kwargs={"case_id": pk})).status_code,
        client.get(f"/api/v1/cases/{pk}/").status_code,
    )


@pytest.mark.parametrize("persona", sorted(OWN_CASE))
def test_own_organisation_case(personas: Personas, persona: str) -> None:
    client = login(Client(), personas.users[persona])
    assert _outcomes(client, personas.case_a) == OWN_CASE[persona]


@pytest.mark.parametrize("persona", sorted(OWN_CASE))
def test_other_organisation_case_is_404_for_everyone(personas: Personas, persona: str) -> None:
    client = login(Client(), personas.users[persona])
    in_list, *codes = _outcomes(client, personas.case_b)
    assert in_list in (False, None)
    assert codes == [404, 404, 404, 404]


def test_org_b_sees_its_own_case(personas: Personas) -> None:
    client = login(Client(), personas.b_caseworker)
    assert _outcomes(client, personas.case_b) == (True, 200, 200, 200, 200)


def test_anonymous_is_sent_to_login(personas: Personas) -> None:
    response = Client().get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_password_without_second_factor_reaches_no_case(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.a_caseworker)  # password passed, OTP not yet
    response = client.get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp"))


def test_team_member_added_gains_access_and_removed_loses_it(personas: Personas) -> None:
    from cases.services import case_team_add, case_team_remove

    url = reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    client = login(Client(), personas.a_legal)
    assert client.get(url).status_code == 404
    case_team_add(actor=personas.a_supervisor, case=personas.case_a, user_id=personas.a_legal.pk)
    assert client.get(url).status_code == 200
    case_team_remove(actor=personas.a_caseworker, case=personas.case_a, user_id=personas.a_legal.pk)
    assert client.get(url).status_code == 404


def test_cannot_add_someone_of_another_organisation_to_the_team(personas: Personas) -> None:
    from django.core.exceptions import ValidationError

    from cases.services import case_team_add

    with pytest.raises(ValidationError):
        case_team_add(actor=personas.a_supervisor, case=personas.case_a, user_id=personas.b_caseworker.pk)
    assert not personas.case_a.team_members.filter(user=personas.b_caseworker).exists()
