"""``manage.py demo_accounts PATH``: the demo users written by ``seed --demo-accounts PATH``, as a table.

``manage.py demo_accounts --code USERNAME`` prints the current 6-digit TOTP code of a demo user
(read from the user's device in the database): a shortcut for testers without an authenticator app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


class Command(BaseCommand):
    help = "Show the demo accounts (organisation, roles, username, password, TOTP secret), or a user's current code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="var/demo-accounts.json",
                            help="JSON file written by `seed --demo-accounts` (default var/demo-accounts.json).")
        parser.add_argument("--code", metavar="USERNAME", help="Print the current TOTP code for this demo user.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            self._code(options["code"])
            return
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist: run `manage.py seed --demo-accounts {path}` first.")
        try:
            accounts = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}") from exc
        rows = [
            (a.get("organisation") or "(platform)", ", ".join(a.get("roles") or ["platform administrator"]),
             a["username"], a["password"], a["totp_secret"])
            for a in accounts
        ]
        header = ("Organisation", "Roles", "Username", "Password", "TOTP secret")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(line.format(*header))
        self.stdout.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))
        self.stdout.write("")
        self.stdout.write(
            "Log in: open http://127.0.0.1:8000/, enter a username and its password, then the 6-digit code from an "
            "authenticator app set up with the TOTP secret, or print the current code with "
            "`.venv/bin/python manage.py demo_accounts --code USERNAME`."
        )

    def _code(self, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
        if device is None:
            raise CommandError(f"{username!r} has no confirmed TOTP device.")
        self.stdout.write(current_code(device))
