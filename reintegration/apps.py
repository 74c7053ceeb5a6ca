from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "reintegration"
    verbose_name = _("Reintegration and follow-up")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import sections, workqueue
        from recovery.selectors import follow_up_reader_register

        from .case_section import reintegration_section
        from .selectors import follow_up_dates_by_case
        from .workqueue import follow_ups_for

        sections.register(reintegration_section)
        workqueue.register(follow_ups_for)
        follow_up_reader_register(follow_up_dates_by_case)  # recovery schedules an assessment at each
