from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("phases and rehabilitation plans")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import sections, workqueue

        from .sections import plan_section
        from .workqueue import plan_work_for

        sections.register(plan_section)
        workqueue.register(plan_work_for)
