from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The synthetic demo data set (top of the house: nothing imports it but its own commands,
    bench/ and tests)."""

    name = "demo"
    verbose_name = _("Demo data")
