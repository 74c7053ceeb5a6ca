"""Demo data: case transfers in every state, from the Jakarta shelter to the UPTD PPA of NTT (the
survivors' home province, for reintegration). Synthetic only; idempotent (a second run adds nothing)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from accounts.models import Organisation, Role, User
from cases.models import Case, CaseStatus
from demo.staff import DemoAccount
from transfers import services
from transfers.models import CaseTransfer

DEMO_TAG = "[demo]"
FROM_KEY, TO_KEY = "handayani", "ntt"


def _user(org: Organisation, role: str) -> User | None:
    return User.objects.filter(organisation=org, is_active=True, roles__role=role).order_by("username").first()


def seed_demo(orgs: dict[str, Organisation], *, seed_value: int = 42, batch_size: int = 2000,
              progress: Callable[[str], None] | None = None) -> list[DemoAccount]:
    """Uses the demo organisations' existing supervisors and caseworkers: creates no accounts."""
    if FROM_KEY not in orgs or TO_KEY not in orgs:
        return []
    if CaseTransfer.objects.filter(reason__startswith=DEMO_TAG).exists():
        return []
    sender, receiver = orgs[FROM_KEY], orgs[TO_KEY]
    sender_sup, receiver_sup = _user(sender, Role.SUPERVISOR), _user(receiver, Role.SUPERVISOR)
    receiver_cw = _user(receiver, Role.CASEWORKER)
    if sender_sup is None or receiver_sup is None or receiver_cw is None:
        return []
    # Open cases of the shelter, survivors from NTT first (going home is why cases are transferred),
    # none already referred (a referral's packet names its sender).
    candidates = sorted(
        Case.objects.filter(lead_organisation=sender).exclude(status=CaseStatus.CLOSED)
        .exclude(transfers__isnull=False).exclude(referrals__isnull=False)
        .select_related("survivor", "lead_organisation").order_by("opened_at"),
        key=lambda c: c.survivor.origin_province_id != "53",
    )
    # The accepted one: preferably a case without deliveries yet; otherwise its deliveries stay the
    # shelter's own (recorded before the handover), as in practice.
    fresh = next((c for c in candidates if not c.service_deliveries.exists()), candidates[0] if candidates else None)
    others = [c for c in candidates if c != fresh][:3]
    cases = ([fresh] if fresh else []) + others
    outcomes = (["accepted"] if fresh else []) + ["pending", "declined", "cancelled"]
    made: dict[str, int] = {}
    with transaction.atomic():
        for case, outcome in zip(cases, outcomes, strict=False):
            transfer = services.transfer_propose(
                actor=sender_sup, case=case, to_organisation_id=receiver.pk,
                reason=f"{DEMO_TAG} Pemulangan ke NTT: reintegrasi di kabupaten asal penyintas.",
            )
            if outcome == "accepted":
                services.transfer_accept(actor=receiver_sup, transfer=transfer, lead_caseworker_id=receiver_cw.pk,
                                         note="Pendamping di kabupaten asal sudah ditunjuk.")
            elif outcome == "declined":
                services.transfer_decline(actor=receiver_sup, transfer=transfer,
                                          reason="Alamat keluarga belum terverifikasi; mohon asesmen keluarga dulu.")
            elif outcome == "cancelled":
                services.transfer_cancel(actor=sender_sup, transfer=transfer, reason="Penyintas memilih tetap di Jakarta.")
            made[outcome] = made.get(outcome, 0) + 1
    if progress is not None:
        progress(f"case transfers: {sum(made.values())} ({', '.join(f'{k} {v}' for k, v in made.items())})")
    return []
