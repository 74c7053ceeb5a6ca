"""``seed``: the synthetic demo data set, topped up to N survivors (``manage.py seed``).

Two writers of the same draws (``demo.draws``, ``demo.recovery``):

- by default, through the rooms' services (``demo.story``), with the clock moved to each event's
  moment, so the demo holds only states the product can reach, with their audit records;
- with ``bulk=True`` (``manage.py seed --bulk``), bulk inserts (``demo.bulk``): only for the
  benchmark's volumes of 100,000 survivors and more.

Idempotent: organisations and users are found by name; survivors are only topped up to N (counted
among the demo organisations' registrations); the bulk recovery data is only added to cases without
any; the rooms' demo data (partners and referrals, transfers, monitoring scopes, the releaser) is
found by name or tag.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from cases.models import Case, CaseStatus
from demo import bulk, monitoring, partners, releases, story, transfers
from demo import legal as legal_demo
from demo import livelihood as livelihood_demo
from demo.draws import DEFAULT_BATCH, name_pools, survivor_factory
from demo.recovery import organisation_services_ensure
from demo.staff import DemoAccount, organisations_and_users
from legal.models import Proceeding
from livelihood.models import Opportunity
from survivors.models import Survivor

Progress = Callable[[str], None]
RoomSeeder = Callable[..., list[DemoAccount]]

# The rooms' demo data, after the survivors and their recovery data (each idempotent, each returns
# the demo accounts it made so ``make demo`` prints them).
def _open_demo_cases(orgs: dict[str, Any], *, seed_value: int, share: float) -> list[Case]:
    """A reproducible share of the demo organisations' open cases, with their lead caseworker."""
    cases = list(Case.objects.filter(lead_organisation__in=list(orgs.values()), lead_caseworker__isnull=False)
                 .exclude(status=CaseStatus.CLOSED).select_related("lead_caseworker", "survivor").order_by("pk"))
    rng = random.Random(seed_value)  # noqa: S311 - synthetic data, reproducible on purpose
    return [case for case in cases if rng.random() < share]


def _livelihood_seed(orgs: dict[str, Any], *, seed_value: int, **_: Any) -> list[DemoAccount]:
    """Opportunities, profiles, enrolments, placements and incomes (demo.livelihood), once. The
    partner directory's training centre and cooperative publish too, through a livelihood officer
    each (a demo account), so enrolments go through referrals they accept."""
    accounts, providers = livelihood_demo.provider_accounts()
    if not Opportunity.objects.filter(organisation__in=list(orgs.values())).exists():
        livelihood_demo.seed(rng=random.Random(seed_value + 13),  # noqa: S311 - synthetic data
                             cases=_open_demo_cases(orgs, seed_value=seed_value + 13, share=1.0),
                             organisations=[*orgs.values(), *providers])
    return accounts


def _legal_seed(orgs: dict[str, Any], *, seed_value: int, **_: Any) -> list[DemoAccount]:
    """Proceedings at every stage, losses, claims, orders and payments (demo.legal), once."""
    if not Proceeding.objects.filter(case__lead_organisation__in=list(orgs.values())).exists():
        legal_demo.seed(rng=random.Random(seed_value + 17),  # noqa: S311 - synthetic data
                        cases=_open_demo_cases(orgs, seed_value=seed_value + 17, share=0.3),
                        organisations=list(orgs.values()))
    return []


ROOM_SEEDERS: tuple[RoomSeeder, ...] = (partners.seed_demo, transfers.seed_demo, monitoring.seed_demo,
                                        releases.seed_demo)
# Written through the services for a share of the cases: the demo's, never the benchmark's volumes.
DEMO_ONLY_SEEDERS: tuple[RoomSeeder, ...] = (_livelihood_seed, _legal_seed)


@dataclass
class SeedResult:
    organisations: int
    users: int
    survivors_before: int
    survivors_added: int
    seconds: float
    accounts: list[DemoAccount] = field(default_factory=list)
    recovery_cases: int = 0  # cases given recovery data in this run
    recovery_seconds: float = 0.0
    refused: int = 0  # drawn events a service refused (through the services only; see demo.story)
    refusals: list[str] = field(default_factory=list)  # the first few of them, to read


def seed(n_survivors: int, *, seed_value: int = 42, batch_size: int = DEFAULT_BATCH,
         progress: Progress | None = None, recovery: bool = True, bulk_insert: bool = False) -> SeedResult:
    """Top the demo organisations up to ``n_survivors`` synthetic survivors (never beyond). Idempotent.

    With ``recovery`` (the default) each new case gets its recovery history (services provided,
    assessments, plan, deliveries, closure, follow-ups) and the rooms' demo data is added.
    ``bulk_insert``: write with bulk inserts instead of the services (benchmark volumes only).
    """
    started = time.perf_counter()
    pools = name_pools(seed_value)
    staff_rng = random.Random(seed_value)  # noqa: S311 - synthetic data, reproducible on purpose
    orgs, accounts = organisations_and_users(n_survivors, first_names=pools["female"] + pools["male"],
                                             last_names=pools["last"], rng=staff_rng)
    organisation_services_ensure(orgs)
    before = Survivor.objects.filter(registered_by_organisation__in=list(orgs.values())).count()
    to_add = max(0, n_survivors - before)
    recovery_cases, recovery_seconds, refused, refusals = 0, 0.0, 0, []
    # No query log while seeding: with DEBUG on, every query would be formatted and kept. The services'
    # e-mails (a new referral for a partner, for example) go to an in-memory outbox: the demo's
    # addresses are invented (contoh.invalid) and a seed must not mail anyone.
    with override_settings(DEBUG=False, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        if bulk_insert:
            if to_add:
                factory = survivor_factory(orgs, pools, seed_value=seed_value, before=before, now=timezone.now())
                bulk.survivors_bulk(factory, to_add, batch_size=batch_size, progress=progress)
            if recovery:
                rec_started = time.perf_counter()
                rec = bulk.recovery_bulk(orgs, seed_value=seed_value, batch_size=batch_size, progress=progress)
                recovery_cases, recovery_seconds = rec.cases, time.perf_counter() - rec_started
        elif to_add:
            factory = survivor_factory(orgs, pools, seed_value=seed_value, before=before, now=timezone.now())
            told = story.survivors_tell(orgs, factory, to_add, seed_value=seed_value, recovery=recovery,
                                        progress=progress)
            recovery_cases = told.recovery_cases
            refused, refusals = told.refused, told.refusals
        if recovery:
            for seeder in ROOM_SEEDERS + (() if bulk_insert else DEMO_ONLY_SEEDERS):
                accounts.extend(seeder(orgs, seed_value=seed_value, batch_size=batch_size, progress=progress))
    return SeedResult(
        organisations=len(orgs), users=len(accounts), survivors_before=before, survivors_added=to_add,
        seconds=time.perf_counter() - started, accounts=accounts, recovery_cases=recovery_cases,
        recovery_seconds=recovery_seconds, refused=refused, refusals=refusals,
    )



