from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("public releases")

    def ready(self) -> None:
        from access import releases as releases_access

        from . import conf

        releases_access.register(releases_access.ReleasesPolicy(simfoni_roles=conf.simfoni_roles))
