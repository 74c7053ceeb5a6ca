"""Medical and psychological costs prefilled from the service deliveries already logged: proposed,
confirmed by the officer, written once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import ChangeRecord
from care.models import ServiceDelivery
from care.services import delivery_save
from care.tests.conftest import provide
from conftest import Personas, login
from legal import selectors, services
from legal.models import Loss, LossHead


def _deliveries(p: Personas) -> dict[str, ServiceDelivery]:
    provide(p.org_a, "medical_care", "psychological_support", "transport", "legal_aid")
    actor = p.a_caseworker

    def save(service: str, on: int, cost: object = None, complete: bool = True) -> ServiceDelivery:
        values: dict[str, object] = {"service": service, "delivered_on": dt.date(2026, 3, on)}
        if cost is not None:
            values["cost"] = cost
        return delivery_save(actor=actor, case=p.case_a, complete=complete, values=values)

    return {
        "visum": save("medical_care", 4, 750_000),
        "counselling": save("psychological_support", 5, "300000"),
        "transport": save("transport", 5, 200_000),  # not medical or psychological
        "no_cost": save("medical_care", 5),
        "free": save("psychological_support", 5, 0),
        "draft": save("medical_care", 5, 90_000, complete=False),
    }


def test_only_recorded_medical_and_psychological_costs_not_in_the_ledger_are_proposed(personas: Personas) -> None:
    d = _deliveries(personas)
    proposed = selectors.delivery_costs_unclaimed(personas.case_a)
    assert [(c.delivery_id, c.cost) for c in proposed] == [(d["visum"].pk, Decimal(750_000)),
                                                          (d["counselling"].pk, Decimal(300_000))]
    assert selectors.delivery_costs_unclaimed(personas.case_b) == []


def test_confirmed_costs_become_losses_once(personas: Personas) -> None:
    p = personas
    d = _deliveries(p)
    with translation.override("id"):  # the description is written in the language of the request
        losses = services.losses_prefill(actor=p.a_legal, case=p.case_a, delivery_ids=[str(d["visum"].pk)])
    assert len(losses) == 1
    loss = Loss.objects.get()
    assert (loss.head, loss.amount, loss.incurred_on, loss.delivery_id) == (
        str(LossHead.MEDICAL), Decimal(750_000), dt.date(2026, 3, 4), d["visum"].pk)
    assert loss.description.startswith("Layanan kesehatan (medis)") and "2026-03-04" in loss.description
    assert ChangeRecord.objects.filter(model="legal.loss", object_id=str(loss.pk)).count() == 1
    assert [c.delivery_id for c in selectors.delivery_costs_unclaimed(p.case_a)] == [d["counselling"].pk]
    # the same delivery again, alone or with another: refused, nothing saved
    for chosen in ([d["visum"].pk], [d["counselling"].pk, d["visum"].pk]):
        with pytest.raises(ValidationError) as exc:
            services.losses_prefill(actor=p.a_legal, case=p.case_a, delivery_ids=chosen)
        assert "deliveries" in exc.value.message_dict
    assert Loss.objects.count() == 1
    # withdrawn stays on record: the delivery is not proposed again
    services.loss_withdraw(actor=p.a_legal, loss=loss, reason="salah")
    assert d["visum"].pk not in [c.delivery_id for c in selectors.delivery_costs_unclaimed(p.case_a)]


def test_what_was_not_proposed_is_refused(personas: Personas) -> None:
    p = personas
    d = _deliveries(p)
    for name in ("transport", "no_cost", "free", "draft"):
        with pytest.raises(ValidationError):
            services.losses_prefill(actor=p.a_legal, case=p.case_a, delivery_ids=[d[name].pk])
    with pytest.raises(ValidationError):
        services.losses_prefill(actor=p.a_legal, case=p.case_a, delivery_ids=[])
    with pytest.raises(ValidationError):  # another case's delivery
        services.losses_prefill(actor=p.b_legal, case=p.case_b, delivery_ids=[d["visum"].pk])
    with pytest.raises(services.NotAllowed):  # a supervisor off the team may not record legal data
        services.losses_prefill(actor=p.a_supervisor, case=p.case_a, delivery_ids=[d["visum"].pk])
    assert not Loss.objects.exists()


def test_the_officer_confirms_on_the_page(personas: Personas) -> None:
    p = personas
    d = _deliveries(p)
    client = login(Client(), p.a_legal)
    url = reverse("legal:losses_prefill", kwargs={"case_id": p.case_a.pk})
    page = client.get(url).content.decode()
    assert f'value="{d["visum"].pk}"' in page and f'value="{d["counselling"].pk}"' in page
    assert f'value="{d["transport"].pk}"' not in page and "750.000" in page
    assert url in client.get(reverse("legal:overview", kwargs={"case_id": p.case_a.pk})).content.decode()
    response = client.post(url, {"deliveries": [str(d["counselling"].pk)]})
    assert response.status_code == 302
    assert list(Loss.objects.values_list("delivery_id", flat=True)) == [d["counselling"].pk]
    response = client.post(url, {"deliveries": [str(d["counselling"].pk)]})  # sent twice: not written twice
    assert response.status_code == 200 and Loss.objects.count() == 1
    assert login(Client(), p.b_legal).get(url).status_code == 404
