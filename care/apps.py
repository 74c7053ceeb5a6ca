from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("services")

    def ready(self) -> None:
        from core import sections, workqueue

        from .sections import care_section
        from .workqueue import time_limits_for

        sections.register(care_section)
        workqueue.register(time_limits_for)

        from django.db.models.signals import post_delete, post_save

        from .clocks import rules_cache_clear
        from .models import TimeLimitRule

        post_save.connect(rules_cache_clear, sender=TimeLimitRule, dispatch_uid="care-rules-cache")
        post_delete.connect(rules_cache_clear, sender=TimeLimitRule, dispatch_uid="care-rules-cache-delete")
