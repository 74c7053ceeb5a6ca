"""Optimistic concurrency: nothing is silently overwritten.

Every editable record carries a ``version`` (an integer the service increments on every save).
Whoever edits a record carries the version they read: a page in a hidden form field, an API client
as ``If-Match`` (the ``ETag`` of its GET) or a ``version`` field, the offline client with each
queued change. The service locks the row, compares, and when someone else saved in between it
writes nothing and raises ``StaleVersion`` with the values saved now and the values submitted,
so the user sees both side by side and decides; neither change is lost.

The pieces, used by every room:

- ``Versioned``: the model mixin holding ``version``;
- ``version_check`` / ``version_bump``: what a service calls inside its transaction, on the row it
  has locked with ``select_for_update``;
- ``StaleVersion``: the one exception (plans' ``PlanConflict`` is one too);
- ``VersionedForm`` and ``conflict_shown``: the hidden field and the page's answer (409, the
  user's values kept in the form, the saved values beside them). The API side is in
  ``api/concurrency.py``.

A ``version`` of ``None`` means "not checked". Only trusted internal callers (the demo builder,
imports, tests of other rules) pass it; pages always send one, and the API refuses an update
without one (428).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Versioned(models.Model):
    """A record edited by people who may not see each other's screens."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"), default=1, editable=False,
        help_text=gettext_lazy("Incremented on every save; a save based on an older version is refused."),
    )

    class Meta:
        abstract = True


def plain(value: Any) -> Any:
    """A value as the API and the comparison see it: related records by their key, sets of
    choices as sorted lists, everything else JSON-friendly."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, bytes | memoryview):
        return None  # photos and files are never echoed back
    if not isinstance(value, str | int | float | bool | dict) and value is not None and hasattr(value, "code"):
        return str(value.code)  # a django-countries Country
    return value


class StaleVersion(Exception):  # noqa: N818 (a refusal the user resolves, not a bug)
    """Someone else saved the record after the version this save was based on. Nothing was saved.

    ``current_version`` is the version saved now (a retry carries it), ``current`` the values saved
    now and ``submitted`` the values this save carried, both keyed by field name.
    """

    def __init__(self, *, current_version: int, current: Mapping[str, Any], submitted: Mapping[str, Any],
                 submitted_version: int | None = None) -> None:
        super().__init__(f"stale version: {submitted_version} is not the current {current_version}")
        self.current_version = current_version
        self.submitted_version = submitted_version
        self.current = {k: plain(v) for k, v in current.items()}
        self.submitted = {k: plain(v) for k, v in submitted.items()}

    @property
    def changed_fields(self) -> list[str]:
        """The submitted fields whose saved value is not what this save carried."""
        return [name for name, value in self.submitted.items() if self.current.get(name) != value]


def version_check(instance: Any, version: Any, *, submitted: Mapping[str, Any],
                  current: Mapping[str, Any] | None = None, current_version: int | None = None) -> None:
    """Refuse a save based on another version than the one saved now.

    Call it inside the transaction, on the row locked with ``select_for_update``, before writing
    anything. ``current`` defaults to the instance's attributes named in ``submitted``;
    ``current_version`` to ``instance.version`` (a record whose version is a counter kept elsewhere
    passes it).
    """
    if version is None:
        return
    saved = instance.version if current_version is None else current_version
    try:
        carried: int | None = int(version)
    except (TypeError, ValueError):
        carried = None
    if carried == saved:
        return
    if current is None:
        current = {name: getattr(instance, name, None) for name in submitted}
    raise StaleVersion(current_version=saved, current=current, submitted=submitted, submitted_version=carried)


def version_bump(instance: Any) -> str:
    """Count one more save; returns the field name for ``save(update_fields=[...])``."""
    instance.version = (instance.version or 0) + 1
    return "version"


# --- pages -----------------------------------------------------------------------------------------


class VersionedForm(forms.Form):
    """A form that carries the version of the record it edits, in a hidden field."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_version(self) -> int:
        # A form posted without its version (an old page, a hand-made request) is based on no
        # known version: 0 never matches, so it is answered as a conflict, never saved blind.
        value = self.cleaned_data.get("version")
        return 0 if value is None else int(value)

    def rebase(self, version: int) -> None:
        """Keep everything typed, but base the next save on ``version`` (the one just shown)."""
        data = QueryDict(mutable=True)
        data.update(self.data)  # keeps every value of a multiple choice
        data["version"] = str(version)
        self.data = data


@dataclass
class ConflictRow:
    label: str
    saved: str
    yours: str


@dataclass
class Conflict:
    """What the conflict include (``templates/concurrency/conflict.html``) shows."""

    version: int
    rows: list[ConflictRow] = field(default_factory=list)


def _choice_labels(choices: Iterable[Any]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key, label in choices:
        if isinstance(label, list | tuple):  # an optgroup
            labels.update(_choice_labels(label))
        else:
            labels[str(getattr(key, "value", key))] = str(label)
    return labels


def display(form_field: forms.Field | None, value: Any) -> str:
    """A value as the user reads it: choices by their label, dates as dates, lists joined."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(form_field, "choices", None) if form_field is not None else None
    labels = _choice_labels(choices) if choices is not None else {}
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(labels.get(str(plain(v)), str(plain(v))) for v in value) or "—"
    if labels:
        return labels.get(str(plain(value)), str(value))
    if isinstance(value, str) and form_field is not None and isinstance(form_field, forms.DateField):
        text = value
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return str(formats.localize(value))
    return str(value)


def conflict_rows(form: forms.Form, exc: StaleVersion) -> list[ConflictRow]:
    """Per field of the form: what is saved now beside what the user submitted, where they differ."""
    rows: list[ConflictRow] = []
    cleaned = getattr(form, "cleaned_data", {}) or {}
    for name, form_field in form.fields.items():
        if name == "version" or name not in exc.current or isinstance(form_field, forms.FileField):
            continue
        yours = cleaned[name] if name in cleaned else exc.submitted.get(name)
        saved_text, your_text = display(form_field, exc.current[name]), display(form_field, yours)
        if saved_text != your_text:
            rows.append(ConflictRow(label=str(form_field.label or name), saved=saved_text, yours=your_text))
    return rows


def conflict_shown(request: HttpRequest, form: VersionedForm, exc: StaleVersion) -> Conflict:
    """The page's answer to a stale save: the message, the user's values kept in ``form`` (now
    based on the version saved, which they are about to see), and the rows to show.
    The view renders the form again with ``conflict`` in its context and status 409."""
    conflict = Conflict(version=exc.current_version, rows=conflict_rows(form, exc))
    form.rebase(exc.current_version)
    messages.error(request, _(
        "Someone else changed this record after you opened it. Your changes were NOT saved, and nothing of "
        "theirs was overwritten. Compare the saved values with yours below, then save again."
    ))
    return conflict
