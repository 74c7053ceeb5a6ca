from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("legal protection and restitution")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import sections, workqueue
        from recovery.selectors import marker_reader_register

        from .indicators import register_legal
        from .sections import legal_section
        from .selectors import trajectory_markers
        from .workqueue import legal_work_for

        sections.register(legal_section)
        workqueue.register(legal_work_for)
        marker_reader_register(trajectory_markers)  # stages and payments, for those who may see legal data
        register_legal()
