"""Bahasa Indonesia first: every message in every catalogue (the project's and each room's) is translated.

A caseworker who meets an English sentence in the middle of an Indonesian page has met a bug.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/id/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry; a plural entry counts as translated when every form is."""
    found: list[tuple[str, str, bool]] = []
    entry: dict[str, Any] = {"msgid": [], "msgstr": [], "fuzzy": False, "seen_msgstr": False}
    current: list[str] | None = None

    def flush() -> None:
        nonlocal entry
        if entry["seen_msgstr"]:
            forms = entry["msgstr"]
            found.append(("".join(entry["msgid"]), "" if any(f == "" for f in forms) else "|".join(forms),
                          entry["fuzzy"]))
        entry = {"msgid": [], "msgstr": [], "fuzzy": False, "seen_msgstr": False}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if entry["seen_msgstr"] and (not line or line.startswith("#") or line.startswith("msgid ")):
            flush()
            current = None
        if not line:
            continue
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            current = []
        elif line.startswith("msgid "):
            current = entry["msgid"]
            current.append(ast.literal_eval(line[6:]))
        elif line.startswith("msgstr"):  # msgstr "..." or msgstr[n] "..."
            entry["seen_msgstr"] = True
            entry["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
            current = None
        elif line.startswith('"'):
            if current is not None:
                current.append(ast.literal_eval(line))
            elif entry["msgstr"]:
                entry["msgstr"][-1] += ast.literal_eval(line)
    flush()
    return [e for e in found if e[0]]  # the header has an empty msgid


def test_there_are_catalogues() -> None:
    assert ROOT / "locale/id/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(path: Path) -> None:
    problems = [f"{'fuzzy' if fuzzy else 'untranslated'}: {msgid!r}"
                for msgid, msgstr, fuzzy in entries(path) if fuzzy or not msgstr]
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems[:40])
