from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("services")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import sections, workqueue
        from recovery.selectors import marker_reader_register

        from .clocks import rules_cache_clear
        from .models import TimeLimitRule
        from .sections import care_section
        from .selectors import delivery_markers
        from .workqueue import time_limits_for

        sections.register(care_section)
        marker_reader_register(delivery_markers)  # the trajectory shows each delivered service
        workqueue.register(time_limits_for)
        post_save.connect(rules_cache_clear, sender=TimeLimitRule, dispatch_uid="care-rules-cache")
        post_delete.connect(rules_cache_clear, sender=TimeLimitRule, dispatch_uid="care-rules-cache-delete")
