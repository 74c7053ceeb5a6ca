from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("public releases")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from access import releases as releases_access
        from monitoring.dashboard import reference_source_register

        from . import conf
        from .selectors import ctdc_reference_summary

        releases_access.register(releases_access.ReleasesPolicy(simfoni_roles=conf.simfoni_roles))
        reference_source_register(ctdc_reference_summary)  # the national dashboard's global reference
