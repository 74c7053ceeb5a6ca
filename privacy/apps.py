from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("privacy")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from access import privacy as privacy_access
        from survivors import linkage

        from .indicators import register_indicators
        from .models import CONFIRMED, LinkageRequest
        from .registration import MATCHING

        privacy_access.register(privacy_access.LinkagePolicy(model=LinkageRequest, confirmed=CONFIRMED))
        linkage.register(MATCHING)
        register_indicators()
