from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("privacy")

    def ready(self) -> None:
        from survivors import linkage

        from .indicators import register_indicators
        from .matching import MATCHING

        linkage.register(MATCHING)
        register_indicators()
