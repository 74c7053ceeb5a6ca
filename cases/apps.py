from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from core import workqueue

        from .workqueue import alerts_for

        workqueue.register(alerts_for)
