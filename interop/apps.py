from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = _("interoperability")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import sections

        from .sections import interop_section

        sections.register(interop_section)
