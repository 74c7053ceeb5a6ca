"""Idle sessions expire: activity renews the session, silence ends it."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login


def test_activity_renews_and_silence_ends_the_session(personas: Any, settings: Any, monkeypatch: Any) -> None:
    client = login(Client(), personas.a_caseworker)
    url = reverse("cases:list")
    assert client.get(url).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < remaining <= dt.timedelta(
        seconds=settings.SESSION_COOKIE_AGE)

    # A request more than a minute later renews the expiry; one within the minute writes nothing.
    real = time.time  # the clock accounts.middleware reads
    monkeypatch.setattr(time, "time", lambda: real() + 30)
    client.get(url)
    assert Session.objects.get(session_key=session.session_key).expire_date == session.expire_date
    monkeypatch.setattr(time, "time", lambda: real() + 120)
    client.get(url)
    assert Session.objects.get(session_key=session.session_key).expire_date > session.expire_date

    # Silence: the session has expired; the next request is sent to the login page.
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
