from django.core.management.base import BaseCommand

from core.regions import regions_load


class Command(BaseCommand):
    help = "Load Indonesian region codes (provinces, kabupaten/kota, kecamatan). Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        counts = regions_load()
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
