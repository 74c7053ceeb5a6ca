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
