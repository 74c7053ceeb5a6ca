"""Writes outside a test transaction, as in production (autocommit): the row locks the services
take (select_for_update) must run inside a transaction on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from api.tests.conftest import token_client
from conftest import Personas
from survivors.models import Identity


@pytest.mark.django_db(transaction=True)
def test_writes_in_autocommit_mode(transactional_db: Any, personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    url = f"/api/v1/cases/{personas.case_a.pk}/"
    response = client.patch(f"{url}identity/", {"aliases": "Sari W.", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert Identity.objects.get(survivor=personas.case_a.survivor).aliases == "Sari W."
    response = client.post(f"{url}transition/", {"to_status": "assessment", "reason": "ok"}, format="json")
    assert response.status_code == 200, response.json()
    record = client.post(f"{url}consents/", {"purpose": "case_management", "lawful_basis": "consent",
                                             "given_by": "survivor", "given_on": "2026-03-02"}, format="json")
    assert record.status_code == 201, record.json()
    withdrawn = client.post(f"{url}consents/{record.json()['id']}/withdraw/", {"reason": "asked"}, format="json")
    assert withdrawn.status_code == 200, withdrawn.json()
