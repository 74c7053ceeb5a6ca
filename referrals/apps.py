from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("referrals")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from access import referrals as referral_access
        from core import sections, workqueue
        from survivors.signals import consent_withdrawn

        from . import conf
        from .models import Referral
        from .sections import referrals_section
        from .services import on_consent_withdrawn
        from .workqueue import referrals_awaiting_answer

        referral_access.register(referral_access.ReferralPolicy(
            model=Referral, unanswered_expiry_days=conf.unanswered_expiry_days))
        consent_withdrawn.connect(on_consent_withdrawn, dispatch_uid="referrals.on_consent_withdrawn")
        sections.register(referrals_section)
        workqueue.register(referrals_awaiting_answer)
