"""The case file's livelihood section: the case team only, one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from livelihood import services
from livelihood.sections import livelihood_section
from livelihood.workqueue import livelihood_work_for

from .conftest import placement_input

pytestmark = pytest.mark.django_db


class _Request:
    def __init__(self, user: Any) -> None:
        self.user = user


def test_the_section_is_one_query_and_for_the_team(personas: Any) -> None:
    services.placement_record(actor=personas.a_caseworker, case=personas.case_a, data=placement_input())
    with CaptureQueriesContext(connection) as ctx:
        section = livelihood_section(_Request(personas.a_caseworker), personas.case_a)
    assert section is not None and section.context["livelihood_counts"]["placements"] == 1
    assert len(ctx.captured_queries) <= 2  # the team check (cached per request) and the figures
    assert livelihood_section(_Request(personas.a_supervisor), personas.case_a) is None
    page = login(Client(), personas.a_caseworker).get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    assert 'id="livelihood-h"' in page.content.decode()


def test_the_work_queue_shows_the_income_follow_up_due(personas: Any, time_machine: Any) -> None:
    services.placement_record(actor=personas.a_caseworker, case=personas.case_a,
                              data=placement_input(started_on=dt.date(2025, 12, 1)))
    items = livelihood_work_for(personas.a_caseworker)
    assert [(i.kind, i.overdue) for i in items] == [("income_follow_up", True)]  # 3 months: 1 March 2026
    services.income_follow_up_record(actor=personas.a_caseworker, case=personas.case_a, months_after=3,
                                     recorded_on=dt.date(2026, 3, 10), working=True, monthly_income=3_000_000,
                                     debt_change="same")
    assert livelihood_work_for(personas.a_caseworker) == []  # the 6-month visit is not due yet
    assert livelihood_work_for(personas.b_caseworker) == []


def test_income_loss_and_recruiter_debt_feed_the_risk_screen(personas: Any) -> None:
    from livelihood.selectors import risk_screen_hints

    from .test_services import _profile

    case = personas.case_a
    assert risk_screen_hints(case, user=personas.a_caseworker) == {}
    services.profile_save(actor=personas.a_caseworker, case=case, version=0, data=_profile(debt_to_recruiter=True))
    services.income_follow_up_record(actor=personas.a_caseworker, case=case, months_after=3,
                                     recorded_on=dt.date(2026, 3, 10), working=False, monthly_income=0,
                                     debt_change="increased")
    assert risk_screen_hints(case, user=personas.a_caseworker) == {"same_community_hardship": "yes", "trafficker_contact": "yes"}
