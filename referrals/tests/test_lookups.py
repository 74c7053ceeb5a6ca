"""Looking a referral up: only "not found" is a 404 (an unknown id, a malformed id, a referral of
another organisation's case); a real error, such as the database failing, propagates as a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import ProgrammingError
from django.db.models.query import QuerySet
from django.http import Http404
from django.test import Client
from django.urls import reverse

from conftest import login
from referrals import selectors
from referrals.models import Referral

from .conftest import World, send

LOOKUPS: list[Callable[[Any, Any], Any]] = [
    selectors.referral_get, selectors.referral_for_sender, selectors.referral_for_recipient_action,
]


@pytest.fixture
def broken_referral_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``get`` of a referral fails as a broken database would; other queries still work."""
    original = QuerySet.get

    def get(self: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        if self.model is Referral:
            raise ProgrammingError("relation \"referrals_referral\" does not exist")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", get)


@pytest.mark.parametrize("lookup", LOOKUPS)
@pytest.mark.parametrize("referral_id", ["not-a-uuid", "", None, 7, "00000000-0000-0000-0000-000000000000"])
def test_a_malformed_or_unknown_id_is_404(world: World, lookup: Callable[[Any, Any], Any], referral_id: Any) -> None:
    with pytest.raises(Http404):
        lookup(world.p.a_caseworker, referral_id)


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_another_organisations_referral_is_404(world: World, lookup: Callable[[Any, Any], Any]) -> None:
    referral = send(world)
    for user in (world.p.b_caseworker, world.p.b_supervisor, world.p.outsider):
        with pytest.raises(Http404):
            lookup(user, referral.pk)


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_a_database_error_is_not_turned_into_a_404(world: World, broken_referral_lookups: None,
                                                   lookup: Callable[[Any, Any], Any]) -> None:
    with pytest.raises(ProgrammingError):
        lookup(world.nurse, "00000000-0000-0000-0000-000000000000")


def test_pages_and_api_answer_404_for_a_malformed_id_and_another_organisation(world: World) -> None:
    referral = send(world)
    client = login(Client(raise_request_exception=False), world.p.a_caseworker)
    page = reverse("referrals:detail", kwargs={"referral_id": referral.pk})
    api = reverse("api-referral-detail", kwargs={"referral_id": referral.pk})
    assert client.get(page).status_code == 200
    assert client.get(reverse("api-referral-detail", kwargs={"referral_id": "not-a-uuid"})).status_code == 404
    other = login(Client(raise_request_exception=False), world.p.b_supervisor)
    assert other.get(page).status_code == 404 and other.get(api).status_code == 404


def test_the_page_and_the_api_answer_500_when_the_database_fails(world: World,
                                                                  broken_referral_lookups: None) -> None:
    client = login(Client(raise_request_exception=False), world.p.a_caseworker)
    some_id = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("referrals:detail", kwargs={"referral_id": some_id})).status_code == 500
    assert client.get(reverse("api-referral-detail", kwargs={"referral_id": some_id})).status_code == 500
