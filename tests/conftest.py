"""The browser fixture: skips where Chromium is missing, fails under CI=true (CI must run them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import CHROMIUM_ARGS, chromium_path


@pytest.fixture
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed, and under CI=true browser tests must run (apt-get install chromium).")
        pytest.skip("Chromium is not installed: `apt-get install chromium` to run the browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
