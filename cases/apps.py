from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        # Imported here, not at the top: the app registry must be ready before room modules load.
        from core import workqueue

        from .workqueue import alerts_for

        workqueue.register(alerts_for)
