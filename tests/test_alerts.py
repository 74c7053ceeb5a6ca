"""Alerts: raised for named people, shown in their work queue, marked read only by them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cases.models import Alert
from cases.services import alert_raise
from conftest import Personas, login
from core.workqueue import work_items_for


def test_alert_reaches_its_recipients_once_and_is_marked_read(personas: Personas) -> None:
    alerts = alert_raise(case=personas.case_a, recipients=[personas.a_psychologist, personas.a_supervisor,
                                                           personas.a_supervisor], kind="self_harm")
    assert len(alerts) == 2
    items = work_items_for(personas.a_psychologist)
    assert [(i.kind, i.survivor_code) for i in items] == [("alert", personas.case_a.survivor.code)]
    assert work_items_for(personas.a_caseworker) == []
    mine = Alert.objects.get(recipient=personas.a_psychologist)
    url = reverse("cases:alert_read", kwargs={"alert_id": mine.pk})
    assert login(Client(), personas.a_supervisor).post(url).status_code == 404  # not theirs
    assert login(Client(), personas.a_psychologist).post(url).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert work_items_for(personas.a_psychologist) == []


def test_alert_on_a_case_no_longer_visible_is_hidden(personas: Personas) -> None:
    from cases.services import case_team_remove

    alert_raise(case=personas.case_a, recipients=[personas.a_psychologist], kind="other")
    case_team_remove(actor=personas.a_supervisor, case=personas.case_a, user_id=personas.a_psychologist.pk)
    assert work_items_for(personas.a_psychologist) == []
