from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("privacy")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from access import policy
        from access import privacy as privacy_access
        from core import workqueue
        from survivors import linkage

        from .emergency import READER
        from .indicators import register_indicators
        from .models import CONFIRMED, EmergencyGrant, LinkageRequest
        from .registration import MATCHING
        from .workqueue import emergency_reviews_due

        privacy_access.register(privacy_access.LinkagePolicy(model=LinkageRequest, confirmed=CONFIRMED))
        privacy_access.emergency_register(privacy_access.EmergencyPolicy(model=EmergencyGrant))
        policy.emergency_grants_register(READER)
        workqueue.register(emergency_reviews_due)
        linkage.register(MATCHING)
        register_indicators()
