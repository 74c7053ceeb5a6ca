from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "reintegration"
    verbose_name = _("Reintegration and follow-up")

    def ready(self) -> None:
        from core import sections, workqueue

        from .case_section import reintegration_section
        from .workqueue import follow_ups_for

        sections.register(reintegration_section)
        workqueue.register(follow_ups_for)
