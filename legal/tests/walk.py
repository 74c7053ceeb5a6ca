"""URL keywords of the legal room for the 404 walk (tests/test_url_walk.py): one record of each kind
on organisation B's case. Created directly: the walk closes case_b before this runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

NONEXISTENT: dict[str, Any] = {
    name: 987654321 for name in (
        "proceeding_id", "hearing_id", "lpsk_id", "loss_id", "evidence_id", "claim_id", "order_id", "payment_id")
}


def other_org_objects(p: Any) -> dict[str, Any]:
    from core import clock
    from legal.models import (
        Claim,
        Evidence,
        Hearing,
        Loss,
        LpskApplication,
        Order,
        Party,
        Payment,
        Proceeding,
    )

    now, day, actor = clock.now(), dt.date(2026, 3, 5), p.b_legal
    proceeding = Proceeding.objects.create(case=p.case_b, title="walk", created_by=actor, created_at=now)
    hearing = Hearing.objects.create(proceeding=proceeding, at=now, place="PN Surabaya", created_by=actor)
    party = Party.objects.create(proceeding=proceeding, role="defendant", relationship="recruiter", name="walk",
                                 recorded_by=actor, recorded_at=now)
    lpsk = LpskApplication.objects.create(case=p.case_b, applied_on=day, requested=["physical"], recorded_by=actor,
                                          recorded_at=now)
    loss = Loss.objects.create(case=p.case_b, head="transport", description="walk", amount=1000, incurred_on=day,
                               recorded_by=actor, recorded_at=now)
    evidence = Evidence.objects.create(loss=loss, filename="a.pdf", content_type="application/pdf", size=5,
                                       sha256="0" * 64, content=b"%PDF-", uploaded_by=actor, uploaded_at=now)
    claim = Claim.objects.create(proceeding=proceeding, number=1, recipient="lpsk", amount=1000, snapshot={},
                                 pdf=b"%PDF-", filed_on=day, prepared_by=actor, prepared_at=now)
    order = Order.objects.create(proceeding=proceeding, party=party, amount=1000, recorded_by=actor, recorded_at=now,
                                 served_on=day, due_on=day)
    payment = Payment.objects.create(order=order, paid_on=day, amount=500, channel="court", proof_reference="walk",
                                     proof=b"%PDF-", proof_content_type="application/pdf", proof_filename="p.pdf",
                                     recorded_by=actor, recorded_at=now)
    return {"proceeding_id": proceeding.pk, "hearing_id": hearing.pk, "lpsk_id": lpsk.pk, "loss_id": loss.pk,
            "evidence_id": evidence.pk, "claim_id": claim.pk, "order_id": order.pk, "payment_id": payment.pk}
