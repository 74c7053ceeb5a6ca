"""The API keeps its own OpenAPI schema: schemathesis against every operation, 0 server errors.

The schema is the one drf-spectacular serves at /api/v1/schema/. Each operation gets its schema
examples and generated requests (valid and invalid ones, derandomized, a bounded number; no
coverage phase, no stateful sequences), sent through the WSGI application with the API token of
the demo user whose work it is (a caseworker; the M&E officer for statistics, the national
releaser for public releases), first with the generated path ids (records that do not exist) and
then with the ids of real records that user may see, so that the responses checked hold real data:
demo cases with assessments, plans, deliveries, closures, follow-ups, referrals and transfers
(``demo.seed``, the same data as ``make demo``). Every response must be documented by status
code and content type and match its schema; a 5xx fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken, Role, User
from demo.releases import RELEASER_USERNAME

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SURVIVORS = 24  # demo survivors: every room's demo data appears at least once
EXAMPLES = 12  # generated requests per operation (each sent twice: generated ids, then real ones)


def _raw_schema() -> dict[str, Any]:
    import json

    from drf_spectacular.renderers import OpenApiJsonRenderer

    # Through the JSON renderer, exactly as served (lazy strings, enums and dates made plain).
    schema: dict[str, Any] = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None,
                                                                                                   public=True)))
    return schema


schema = schemathesis.openapi.from_dict(_raw_schema())
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True)
# Bounded: schema examples and fuzzing (a fixed number per operation); no coverage phase (its
# boundary cases are unbounded in number), no stateful sequences.
schema.config.phases.update(phases=["examples", "fuzzing"])
application = get_wsgi_application()


# Who uses which operations: public releases are the national releaser's, the organisation's
# statistics its M&E officer's, a referral or a transfer its case's lead caseworker's, everything
# else the caseworker's.
PERSONAS = {"/api/v1/releases/": "releaser", "/api/v1/ctdc/": "releaser", "/api/v1/monitoring/": "me",
            "/api/v1/simfoni/": "me", "/api/v1/referrals/": "referrer", "/api/v1/transfers/": "transferrer"}


@dataclass
class World:
    keys: dict[str, str]  # persona -> API token
    ids: dict[str, str]

    def key_for(self, path: str) -> str:
        return next((self.keys[who] for prefix, who in PERSONAS.items() if path.startswith(prefix)),
                    self.keys["caseworker"])


def _first(client: APIClient, url: str, key: str = "id") -> str | None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return str(rows[0][key]) if rows else None


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Demo data for the whole module, in one transaction rolled back at the end (each test then
    runs in its own savepoint inside it)."""
    from demo.seed import seed

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with time_machine.travel(dt.datetime(2026, 9, 14, 3, 0, tzinfo=dt.UTC), tick=False):
                seed(SURVIVORS, seed_value=7, batch_size=500)
            yield _world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _world() -> World:
    from django.db.models import Exists, OuterRef

    from care.models import ServiceDelivery
    from cases.models import Case
    from recovery.models import Assessment
    from referrals.models import Referral
    from reintegration.models import FollowUp
    from transfers.models import CaseTransfer

    referral = Referral.objects.select_related("case__lead_caseworker").order_by("sent_at", "pk").first()
    transfer = CaseTransfer.objects.select_related("case__lead_caseworker").order_by("pk").first()
    assert referral is not None and transfer is not None
    # The fullest demo case: follow-ups, deliveries recorded at a time of day, assessments.
    case = (Case.objects.all()
            .annotate(f=Exists(FollowUp.objects.filter(case=OuterRef("pk"))),
                      d=Exists(ServiceDelivery.objects.filter(case=OuterRef("pk"), delivered_at__isnull=False)),
                      a=Exists(Assessment.objects.filter(case=OuterRef("pk"))))
            .order_by("-f", "-d", "-a", "pk").select_related("lead_caseworker").first())
    assert case is not None
    caseworker: User = case.lead_caseworker
    me = User.objects.filter(organisation=caseworker.organisation, roles__role=Role.ME_OFFICER).first()
    assert me is not None
    keys = {"caseworker": _token(caseworker), "me": _token(me),
            "releaser": _token(User.objects.get(username=RELEASER_USERNAME)),
            "referrer": _token(referral.case.lead_caseworker), "transferrer": _token(transfer.case.lead_caseworker)}
    client, releaser = APIClient(), APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {keys['caseworker']}")
    releaser.credentials(HTTP_AUTHORIZATION=f"Token {keys['releaser']}")
    made = releaser.post("/api/v1/releases/tables/", {"table": "sex", "period_start": "2026-01-01",
                                                      "period_end": "2026-08-31"}, format="json")
    assert made.status_code == 201, made.content
    case_id = str(case.pk)
    ids: dict[str, str | None] = {
        "case_id": case_id,
        "survivor_id": str(case.survivor_id),
        "assessment_id": _first(client, f"/api/v1/cases/{case_id}/assessments/"),
        "delivery_id": _first(client, f"/api/v1/cases/{case_id}/deliveries/"),
        "consent_id": _first(client, f"/api/v1/cases/{case_id}/consents/"),
        "follow_up_id": _first(client, f"/api/v1/cases/{case_id}/follow-ups/"),
        "referral_id": str(referral.pk),
        "transfer_id": str(transfer.pk),
        "partner_id": _first(client, "/api/v1/partners/", "organisation"),
        "release_id": made.json()["id"],
    }
    cache.clear()
    missing = [k for k, v in ids.items() if v is None]
    assert not missing, f"the demo data has no {missing} for {caseworker.username}"
    return World(keys=keys, ids={k: v for k, v in ids.items() if v is not None})


def _token(user: User) -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="schemathesis", key_hash=hashlib.sha256(key.encode()).hexdigest(),
                            prefix=key[:8])
    return key


@pytest.fixture(autouse=True)
def _test_host(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection(world: World) -> Iterator[None]:
    """Requests go through the real WSGI handler, whose request signals close the database
    connection after each response; the test's transaction lives on that connection (Django's
    own test client unhooks the same signal handler while it makes a request)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, print_blob=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_keeps_its_schema(case: Any, world: World, db: Any) -> None:
    headers = {"Authorization": f"Token {world.key_for(case.operation.path)}"}
    cache.clear()  # the per-user rate limit must not turn generated requests into 429s
    case.call_and_validate(base_url="http://testserver", app=application, headers=headers, checks=CHECKS)
    real = {name: world.ids[name] for name in (case.path_parameters or {}) if name in world.ids}
    if real:
        case.path_parameters = {**case.path_parameters, **real}
        cache.clear()
        case.call_and_validate(base_url="http://testserver", app=application, headers=headers, checks=CHECKS)
