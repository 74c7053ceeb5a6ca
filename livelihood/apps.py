from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "livelihood"
    verbose_name = _("economic empowerment")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from access import livelihood as livelihood_access
        from core import sections, workqueue
        from recovery.selectors import income_reader_register

        from .indicators import register_indicators
        from .models import Opportunity, OpportunityStatus
        from .sections import livelihood_section
        from .selectors import income_points_for
        from .workqueue import livelihood_work_for

        livelihood_access.register(livelihood_access.OpportunityPolicy(model=Opportunity,
                                                                       open_status=OpportunityStatus.OPEN))

        sections.register(livelihood_section)
        workqueue.register(livelihood_work_for)
        register_indicators()
        income_reader_register(income_points_for)
