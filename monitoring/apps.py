from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("monitoring and evaluation")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from access import monitoring as monitoring_access

        from .facts import change_recorded
        from .indicators.builtin import register_builtin
        from .models import MonitoringScope

        monitoring_access.register(monitoring_access.MonitoringPolicy(scope_model=MonitoringScope))
        register_builtin()
        # Each change's history record marks its case for the next refresh of the figures.
        post_save.connect(change_recorded, sender="audit.ChangeRecord", dispatch_uid="monitoring.change_recorded")
