"""The restitution claim as a document: its content (PP 7/2018 Pasal 21 as amended by PP 35/2020:
applicant, perpetrator, description of the crime, evidenced losses, amount) kept as a snapshot,
and its PDF in Indonesian, rendered with WeasyPrint as monitoring/exports.py does.

The snapshot is what the version says for ever; the survivor is named by code only, and the
perpetrator's name is written into the PDF (encrypted at rest with it), never into the snapshot.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from .models import ClaimRecipient, Loss, LossHead, Party, Proceeding, Relationship, StageEvent


def claim_document(*, proceeding: Proceeding, losses: list[Loss], parties: list[Party], recipient: str, number: int,
                   filed_on: dt.date | None) -> dict[str, Any]:
    case = proceeding.case
    stages = list(StageEvent.objects.filter(proceeding=proceeding).order_by("on", "id"))
    with translation.override("id"):
        heads: dict[str, int] = {}
        for loss in losses:
            heads[loss.head] = heads.get(loss.head, 0) + int(loss.amount)
        return {
            "number": number,
            "recipient": recipient,
            "recipient_label": str(ClaimRecipient(recipient).label),
            "filed_on": filed_on.isoformat() if filed_on else None,
            "applicant": {"survivor_code": case.survivor.code, "organisation": case.lead_organisation.name,
                          "role": str(proceeding.get_survivor_role_display())},
            "proceeding": {"id": proceeding.pk, "title": proceeding.title,
                           "police_report_number": proceeding.police_report_number,
                           "court": proceeding.court_name},
            "events": [{"stage": s.stage, "stage_label": str(s.get_stage_display()), "on": s.on.isoformat(),
                        "institution": s.institution, "case_number": s.case_number} for s in stages],
            "perpetrators": [{"id": p.pk, "role": str(p.get_role_display()),
                              "relationship": str(Relationship(p.relationship).label)} for p in parties],
            "losses": [{"id": loss.pk, "head": loss.head, "head_label": str(LossHead(loss.head).label),
                        "description": loss.description, "amount": int(loss.amount),
                        "incurred_on": loss.incurred_on.isoformat(),
                        "evidence": [ev.filename for ev in loss.evidence.all()]} for loss in losses],
            "by_head": [{"head": h, "head_label": str(LossHead(h).label), "amount": heads[h]}
                        for h in LossHead.values if h in heads],
            "amount": sum(int(loss.amount) for loss in losses),
        }


def rupiah(value: Any) -> str:
    return "Rp " + f"{int(value):,}".replace(",", ".")


def claim_pdf(document: dict[str, Any], *, parties: list[Party] | None = None) -> bytes:
    from weasyprint import HTML  # heavy (Cairo, Pango): loaded only when a claim is printed

    names = {p.pk: p.name for p in parties or []}
    with translation.override("id"):
        html = render_to_string("legal/claim_pdf.html", {
            "doc": document,
            "losses": [{**loss, "amount_text": rupiah(loss["amount"])} for loss in document["losses"]],
            "by_head": [{**h, "amount_text": rupiah(h["amount"])} for h in document["by_head"]],
            "amount_text": rupiah(document["amount"]),
            "perpetrators": [{**perp, "name": names.get(perp["id"], "")} for perp in document["perpetrators"]],
        })
    result: bytes = HTML(string=html).write_pdf()
    return result
