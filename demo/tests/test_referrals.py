"""Demo data: partners of every organisation type with profiles and a demo user, referrals in every
state, and a second run adds nothing."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from accounts.models import Organisation, User
from partners.models import PartnerProfile
from referrals.models import Referral


def test_seed_partners_and_referrals(db: Any) -> None:
    call_command("seed", survivors=40, verbosity=0)
    kinds = set(PartnerProfile.objects.filter(is_listed=True).values_list("organisation__kind", flat=True))
    assert kinds == set(Organisation.Kind.values)
    for profile in PartnerProfile.objects.select_related("organisation"):
        assert User.objects.filter(organisation=profile.organisation).exists(), profile.organisation.name
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    completed = Referral.objects.get(status="completed")
    assert completed.outcome_report and completed.consent is not None
    counts = (Organisation.objects.count(), User.objects.count(), PartnerProfile.objects.count(),
              Referral.objects.count())
    call_command("seed", survivors=40, verbosity=0)
    assert (Organisation.objects.count(), User.objects.count(), PartnerProfile.objects.count(),
            Referral.objects.count()) == counts
