"""Shared pieces of the browser tests: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import shutil
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def no_horizontal_scroll(page: Any) -> None:
    """The page fits a 360 px phone screen: nothing scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"{page.url} is {width}px wide on a 360px screen"


def sign_in(page: Any, live_server: Any, user: Any, *, then: str | None = "**/cases/") -> None:
    """Log in as a person does: password, then the current code of their authenticator app.
    ``then``: the URL pattern to wait for afterwards (None: just wait for the page to load)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from conftest import PASSWORD

    device = TOTPDevice.objects.get(user=user)
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/accounts/otp/**")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name=token]", f"{totp.token():06d}")
    page.locator("form button[type=submit].primary").click()
    if then:
        page.wait_for_url(then)
    else:
        page.wait_for_load_state()
