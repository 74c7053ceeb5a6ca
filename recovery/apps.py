from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Recovery: assessments and trajectory")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import sections, workqueue

        from .sections import trajectory_section
        from .selectors import assessment_work_items

        workqueue.register(assessment_work_items)
        sections.register(trajectory_section)
