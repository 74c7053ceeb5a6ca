from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = _("interoperability")

    def ready(self) -> None:
        from core import sections

        from .sections import interop_section

        sections.register(interop_section)
