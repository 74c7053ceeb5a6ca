from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = _("case transfers")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import sections, workqueue

        from .sections import transfer_section
        from .workqueue import incoming_transfers_for

        sections.register(transfer_section)
        workqueue.register(incoming_transfers_for)
