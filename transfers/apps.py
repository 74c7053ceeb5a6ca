from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = _("case transfers")

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from access import transfers as transfer_access
        from core import sections, workqueue

        from .conf import OWN_RECORDS, sender_access
        from .models import CaseTransfer
        from .sections import transfer_section
        from .workqueue import incoming_transfers_for

        transfer_access.register(transfer_access.TransferPolicy(
            model=CaseTransfer, sender_keeps_own_records=lambda: sender_access() == OWN_RECORDS))
        sections.register(transfer_section)
        workqueue.register(incoming_transfers_for)
