"""Demo data of the legal room, through its services only: proceedings at every stage, hearings
with and without an accompanying person, suspects and perpetrators (synthetic names), LPSK
applications, a loss ledger with evidence, claims, restitution ordered with partial, full and
missing payments, and non-payment steps. Synthetic data only.

    seed(*, rng, cases, organisations=(), today=None) -> int   (the number of proceedings)

Each case's lead caseworker records (a team caseworker may record legal data); closed cases and
cases without a lead caseworker are skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from cases.models import CaseStatus
from core import clock
from legal import services
from legal.services import StageInput, Upload

# A minimal valid-looking PDF: evidence files are synthetic.
_PDF = b"%PDF-1.4\n% Sintas demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_FIRST = ["Yohanes", "Markus", "Hendrik", "Agus", "Rudi", "Siti", "Dewi", "Bambang", "Frans", "Lukas"]
_LAST = ["Bria", "Tallo", "Ndun", "Saragih", "Wijaya", "Lumban", "Kase", "Manafe", "Hutapea", "Sinaga"]
_AGENCY = ["PT Jaya Abadi Mandiri", "PT Sumber Rezeki Sejahtera", "CV Karya Putra", "PT Bintang Timur Raya"]
_COURTS = ["PN Kupang", "PN Surabaya", "PN Mataram", "PN Atambua", "PN Batam"]
_UNITS = ["Polda NTT", "Polda Jawa Timur", "Polres Kupang Kota", "Polda NTB", "Polda Kepri"]

_STAGES = ["investigation", "file_complete", "prosecution", "trial", "verdict", "final", "appeal"]


def seed(*, rng: random.Random, cases: Sequence[Any], organisations: Sequence[Any] = (),
         today: dt.date | None = None) -> int:

    today = today or clock.today()
    made = 0
    for n, case in enumerate(cases):
        actor = getattr(case, "lead_caseworker", None)
        if actor is None or case.status == CaseStatus.CLOSED:
            continue
        # Losses from intake on, some with evidence.
        for head, description, amount in rng.sample([
            ("property_income", "Gaji tidak dibayar selama bekerja", 6_000_000 * rng.randint(1, 6)),
            ("transport", "Biaya perjalanan pulang", rng.randint(3, 20) * 100_000),
            ("medical", "Pemeriksaan dan perawatan luka", rng.randint(5, 40) * 50_000),
            ("suffering", "Penderitaan selama dieksploitasi", rng.randint(5, 50) * 1_000_000),
            ("legal", "Biaya pendampingan hukum", rng.randint(1, 10) * 250_000),
        ], k=rng.randint(2, 4)):
            evidence = [Upload(name=f"bukti-{head}-{n}.pdf", content=_PDF + str(rng.random()).encode())] \
                if rng.random() < 0.7 else []
            services.loss_record(actor=actor, case=case, head=head, description=description, amount=amount,
                                 incurred_on=today - dt.timedelta(days=rng.randint(300, 420)), evidence=evidence)
        depth = n % (len(_STAGES) + 1)  # 0: police report only ... 7: appeal
        start = today - dt.timedelta(days=330)
        proceeding = services.proceeding_open(actor=actor, case=case, values={
            "title": rng.choice(["Perekrutan PMI nonprosedural", "Eksploitasi kerja di kapal ikan",
                                 "Eksploitasi seksual", "Penjeratan utang di perkebunan"]),
            "police_report_number": f"LP/B/{100 + n}/{start.month}/{start.year}",
            "police_unit": rng.choice(_UNITS), "police_report_date": start, "court_name": rng.choice(_COURTS),
            "child_victim": bool(getattr(case.survivor, "is_child_at_identification", False)),
        })
        made += 1
        services.party_record(actor=actor, proceeding=proceeding, role="suspect" if depth < 4 else "convicted",
                              relationship=rng.choice(["recruiter", "agency", "employer", "acquaintance"]),
                              at_large=rng.random() < 0.15,
                              name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}")
        if rng.random() < 0.3:
            services.party_record(actor=actor, proceeding=proceeding, role="defendant", relationship="agency",
                                  at_large=False, name=rng.choice(_AGENCY))
        day = start
        served = verdict_on = None
        for stage in _STAGES[:depth]:
            day = day + dt.timedelta(days=rng.randint(20, 35))
            if stage == "final":
                served = day + dt.timedelta(days=rng.randint(0, 5))
            if stage == "verdict":
                verdict_on = day
            services.stage_record(actor=actor, proceeding=proceeding, data=StageInput(
                stage=stage, on=day, institution=proceeding.court_name if stage in ("trial", "verdict", "final")
                else ("Kejaksaan Negeri" if stage == "prosecution" else proceeding.police_unit),
                case_number=f"{10 + n}/Pid.Sus/{day.year}" if stage in ("trial", "verdict") else "",
                articles_proven="UU 21/2007 Pasal 2 ayat (1)" if stage == "verdict" else "",
                sentence=f"{rng.randint(3, 9)} tahun penjara" if stage == "verdict" else "",
                served_on=served if stage == "final" else None))
        if depth == 4:  # on trial: the next hearing, with or without someone to accompany the survivor
            services.hearing_schedule(
                actor=actor, proceeding=proceeding, place=proceeding.court_name, purpose="Pemeriksaan saksi korban",
                at=dt.datetime.combine(today + dt.timedelta(days=rng.randint(2, 12)), dt.time(2, 0), tzinfo=dt.UTC),
                companion_user=actor if rng.random() < 0.5 else None)
        if rng.random() < 0.4:
            application = services.lpsk_apply(actor=actor, case=case, applied_on=start + dt.timedelta(days=10),
                                              requested=["physical", "restitution", "psychosocial"])
            if rng.random() < 0.6:
                services.lpsk_decide(actor=actor, application=application, decision="partly",
                                     decided_on=start + dt.timedelta(days=16), granted=["restitution"],
                                     protection_until=start + dt.timedelta(days=196))
        if depth >= 3 and services.evidenced_losses(case):
            services.claim_prepare(actor=actor, proceeding=proceeding, recipient=rng.choice(["lpsk", "prosecutor"]),
                                   filed_on=start + dt.timedelta(days=90))
        if depth >= 5:
            party = proceeding.parties.order_by("id").first()
            amount = rng.randint(10, 80) * 1_000_000
            order = services.order_record(actor=actor, proceeding=proceeding, party=party, amount=amount)
            order.refresh_from_db()  # the due date, once the final judgment was served
            shape = rng.choice(["none", "partial", "partial", "full"])
            if shape != "none" and order.due_on is not None and verdict_on is not None:
                paid_on = max(verdict_on, min(today, order.due_on - dt.timedelta(days=3)))
                part = amount if shape == "full" else amount // rng.randint(3, 5)
                services.payment_record(actor=actor, order=order, paid_on=paid_on, amount=part,
                                        channel=rng.choice(["court", "direct", "lpsk"]),
                                        proof_reference=f"KW-{n:04d}-1")
            if shape != "full" and order.due_on is not None and order.due_on + dt.timedelta(days=20) <= today:
                services.step_record(actor=actor, order=order, step="warning",
                                     on=order.due_on + dt.timedelta(days=rng.randint(5, 20)))
    return made
