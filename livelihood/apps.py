from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "livelihood"
    verbose_name = _("economic empowerment")

    def ready(self) -> None:
        from core import sections, workqueue

        from .indicators import register_indicators
        from .sections import livelihood_section
        from .workqueue import livelihood_work_for

        sections.register(livelihood_section)
        workqueue.register(livelihood_work_for)
        register_indicators()
