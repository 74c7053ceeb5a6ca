"""Walk every URL pattern and API route with another organisation's object ids: always 404.

New endpoints are covered without anyone remembering to add a test. A URL keyword this test does
not know fails the test, so whoever adds one must say which object it names: here, or (for a room's
own keywords) in ``<app>/tests/walk.py``, which defines ``other_org_objects(p) -> dict`` (objects of
organisation B, or of organisations the walkers have nothing to do with) and ``NONEXISTENT`` (ids
that name nothing). Every installed app's ``tests.walk`` module is picked up.
"""

from __future__ import annotations

import importlib
import importlib.util
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from conftest import Personas, login


def iter_patterns(resolvers: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            prefix = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def walk_extensions() -> list[ModuleType]:
    """Each installed app's ``tests.walk`` module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.walk"
        if importlib.util.find_spec(f"{config.name}.tests") and importlib.util.find_spec(name):
            found.append(importlib.import_module(name))
    return found


def other_org_objects(p: Personas) -> dict[str, Any]:
    objects = core_other_org_objects(p)
    for module in walk_extensions():
        objects.update(module.other_org_objects(p))
    return objects


def core_other_org_objects(p: Personas) -> dict[str, Any]:
    """For each URL keyword, an object that belongs to organisation B (the walkers are org A)."""
    from accounts.models import ApiToken
    from survivors.services import ConsentInput, consent_record

    consent = consent_record(
        actor=p.b_caseworker, case=p.case_b,
        data=ConsentInput(purpose="case_management", lawful_basis="consent", given_by="survivor",
                          given_on=p.case_b.identified_on),
    )
    token = ApiToken.objects.create(user=p.b_caseworker, name="b", key_hash="0" * 64, prefix="00000000")
    from cases.services import alert_raise

    alert = alert_raise(case=p.case_b, recipients=[p.b_caseworker], kind="other", detail="walk")[0]
    from care.services import application_record, delivery_save
    from reintegration.services import case_close

    delivery = delivery_save(actor=p.b_caseworker, case=p.case_b, values={})  # an empty draft
    application = application_record(actor=p.b_caseworker, case=p.case_b, applied_on=p.case_b.identified_on,
                                     applicant_kind="victim")
    from plans.models import PlanRevision
    from plans.services import GoalInput, PlanInput, plan_save

    plan_save(actor=p.b_caseworker, case=p.case_b, version=0,
              data=PlanInput(goals=[GoalInput(domain="safety", description="walk")]))
    revision = PlanRevision.objects.get(plan__case=p.case_b)
    from recovery.models import Instrument
    from recovery.services import assessment_start

    assessment = assessment_start(actor=p.b_caseworker, case=p.case_b,
                                  instrument=Instrument.objects.get(code="SHRS", version=1),
                                  kind="follow_up", assessed_on=p.case_b.identified_on)
    closure = case_close(actor=p.b_caseworker, case=p.case_b, reason="restored", note="", follow_up_declined=False)
    return {
        "assessment_id": assessment.pk,
        "revision_id": revision.pk,
        "delivery_id": delivery.pk,
        "application_id": application.pk,
        "follow_up_id": closure.follow_ups.get(months_after=3).pk,
        "case_id": p.case_b.pk,
        "survivor_id": p.case_b.survivor_id,
        "consent_id": consent.pk,
        "user_id": p.b_caseworker.pk,
        "org_id": p.org_b.pk,
        "token_id": token.pk,
        "alert_id": alert.pk,
    }


# Walkers: every role of organisation A. The platform administrator manages every organisation
# (org_id pages are theirs by design) and is walked separately below, without org_id routes.
WALKERS = ["a_caseworker", "a_caseworker2", "a_supervisor", "a_psychologist", "a_health", "a_legal",
           "a_livelihood", "a_me", "a_admin", "outsider"]


def _routes_with_objects(objects: dict[str, Any], *, skip: set[str] = frozenset()) -> list[tuple[str, str]]:  # type: ignore[assignment]
    routes = []
    for name, pattern in iter_patterns(get_resolver().url_patterns):
        keys = set(pattern.pattern.regex.groupindex)
        if not keys or "format" in keys:
            continue
        unknown = keys - set(objects)
        assert not unknown, f"URL {name} has keyword(s) {unknown}: add them to other_org_objects()"
        if keys & skip:
            continue
        try:
            url = reverse(name, kwargs={k: objects[k] for k in keys})
        except NoReverseMatch:  # e.g. an int converter given a UUID: cannot name another's object
            continue
        routes.append((name, url))
    return routes


NONEXISTENT = {"case_id": uuid.uuid4(), "survivor_id": uuid.uuid4(), "consent_id": uuid.uuid4(),
               "user_id": 987654321, "org_id": 987654321, "token_id": 987654321,
               "alert_id": 987654321, "delivery_id": uuid.uuid4(), "application_id": uuid.uuid4(),
               "follow_up_id": uuid.uuid4(), "revision_id": 987654321,
               "assessment_id": uuid.uuid4()}
for _module in walk_extensions():
    NONEXISTENT.update(_module.NONEXISTENT)


def _walk(client: Client, routes: list[tuple[str, str]], ghost_routes: dict[str, str]) -> list[str]:
    """Each route must answer 404 to at least one method, and for every method exactly what it
    answers for an id that does not exist at all (a 405 for a wrong method is then no leak)."""
    failures = []
    for name, url in routes:
        seen = []
        for method in ("get", "post", "patch", "delete"):
            status = getattr(client, method)(url).status_code
            ghost = getattr(client, method)(ghost_routes[name]).status_code
            seen.append(status)
            if status != ghost or status not in (404, 405):
                failures.append(f"{method.upper()} {url} ({name}) -> {status} (nonexistent id: {ghost})")
        if 404 not in seen:
            failures.append(f"{url} ({name}) never answered 404: {seen}")
    return failures


@pytest.mark.parametrize("walker", WALKERS)
def test_every_route_answers_404_for_another_organisations_objects(personas: Personas, walker: str) -> None:
    objects = other_org_objects(personas)
    routes = _routes_with_objects(objects)
    ghosts = dict(_routes_with_objects(NONEXISTENT))
    assert len(routes) >= 15, routes  # the walk really covers the pages and the API
    client = login(Client(), personas.users[walker])
    failures = _walk(client, routes, ghosts)
    assert not failures, "\n".join(failures)


def test_platform_admin_gets_404_on_cases_and_users(personas: Personas) -> None:
    objects = other_org_objects(personas)
    client = login(Client(), personas.platform)
    routes = _routes_with_objects(objects, skip={"org_id"})
    failures = _walk(client, routes, dict(_routes_with_objects(NONEXISTENT)))
    assert not failures, "\n".join(failures)
