"""The optimistic-concurrency mechanism itself (core/concurrency.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.http import QueryDict

from core.concurrency import StaleVersion, VersionedForm, conflict_rows, display, version_bump, version_check


class _Record:
    def __init__(self, version: int, **values: Any) -> None:
        self.version = version
        self.__dict__.update(values)


def test_the_version_the_record_has_passes_and_an_unchecked_save_passes() -> None:
    record = _Record(3, name="Sari")
    version_check(record, 3, submitted={"name": "Sari W."})
    version_check(record, "3", submitted={"name": "Sari W."})  # as a form or header sends it
    version_check(record, None, submitted={"name": "Sari W."})  # trusted internal callers


@pytest.mark.parametrize("carried", [2, 4, 0, "x", ""])
def test_any_other_version_raises_with_both_sides(carried: Any) -> None:
    record = _Record(3, name="Sari", phone="0812", when=dt.date(2026, 3, 2))
    with pytest.raises(StaleVersion) as exc:
        version_check(record, carried, submitted={"name": "Sari W.", "phone": "0812", "when": dt.date(2026, 3, 3)})
    assert exc.value.current_version == 3
    assert exc.value.current == {"name": "Sari", "phone": "0812", "when": "2026-03-02"}
    assert exc.value.submitted == {"name": "Sari W.", "phone": "0812", "when": "2026-03-03"}
    assert exc.value.changed_fields == ["name", "when"]  # the phone is the same on both sides


def test_a_counter_kept_elsewhere_is_the_version() -> None:
    with pytest.raises(StaleVersion) as exc:
        version_check(None, 0, submitted={"phase": "recovery"}, current={"phase": "safety"}, current_version=1)
    assert exc.value.current_version == 1 and exc.value.changed_fields == ["phase"]


def test_bump_counts_one_more_save() -> None:
    record = _Record(7)
    assert version_bump(record) == "version" and record.version == 8


class _Form(VersionedForm):
    name = forms.CharField(label="Name")
    kinds = forms.MultipleChoiceField(label="Kinds", choices=[("a", "Alpha"), ("b", "Beta")], required=False)
    when = forms.DateField(label="Date", required=False)


def test_a_form_without_its_version_is_based_on_none() -> None:
    form = _Form(QueryDict("name=x"))
    assert form.is_valid() and form.cleaned_data["version"] == 0  # 0 never matches: a conflict, never blind


def test_the_difference_is_shown_in_the_words_of_the_form_and_the_form_keeps_what_was_typed() -> None:
    form = _Form(QueryDict("name=Mine&kinds=a&kinds=b&when=2026-03-04&version=1"))
    assert form.is_valid()
    exc = StaleVersion(current_version=2, current={"name": "Theirs", "kinds": ["a"], "when": None},
                       submitted={"name": "Mine", "kinds": ["a", "b"], "when": dt.date(2026, 3, 4)})
    rows = conflict_rows(form, exc)
    assert [(r.label, r.saved, r.yours) for r in rows] == [
        ("Name", "Theirs", "Mine"), ("Kinds", "Alpha", "Alpha, Beta"), ("Date", "—", display(form.fields["when"],
                                                                                             dt.date(2026, 3, 4))),
    ]
    form.rebase(exc.current_version)
    assert form["version"].value() == "2"  # the next save is based on what was just shown
    assert form["kinds"].value() == ["a", "b"] and form["name"].value() == "Mine"


def test_display_reads_choices_lists_booleans_and_blanks() -> None:
    choice = forms.ChoiceField(choices=[("police", "Police"), ("", "—")])
    assert display(choice, "police") == "Police"
    assert display(None, True) != display(None, False)
    assert display(None, "") == display(None, None) == display(None, []) == "—"
    assert display(None, ["x", "y"]) == "x, y"
