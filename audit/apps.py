from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check on the database role
