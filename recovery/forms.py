"""Forms parse input; the rules live in recovery.services, whose errors are shown on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core import clock
from core.choices import Domain
from core.concurrency import VersionedForm

from .models import AssessmentKind, Instrument, Item


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class InstrumentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Instrument) -> str:
        return obj.name


class AssessmentStartForm(forms.Form):
    instrument = InstrumentChoiceField(label=_("Instrument"), queryset=Instrument.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind of assessment"), choices=AssessmentKind.choices)
    assessed_on = forms.DateField(label=_("Date of assessment"), widget=DateInput())

    def __init__(self, *args: Any, instruments: QuerySet[Instrument], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]


def item_choices(instrument: Instrument, item: Item) -> list[tuple[Any, str]]:
    not_answered = ("", str(_("not answered")))
    levels = list(item.levels.all())
    if levels:
        return [not_answered] + [(level.value, f"{level.value} · {level.text}") for level in levels]
    return [not_answered] + [
        (v, f"{v} · {instrument.option_label(v)}") for v in range(instrument.scale_min, instrument.scale_max + 1)
    ]


class AssessmentFillForm(VersionedForm):
    """One radio group per item (with each value's description), the date, and the version the
    user started from (optimistic concurrency, ``core.concurrency``)."""

    assessed_on = forms.DateField(label=_("Date of assessment"), widget=DateInput())

    def __init__(self, *args: Any, instrument: Instrument, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = items
        for item in items:
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {item.text}",
                choices=item_choices(instrument, item),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[int, int | None]:
        return {item.number: self.cleaned_data.get(f"item_{item.number}") for item in self.items}

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Items grouped by domain (holistic) or in one group (screening), in order."""
        if self.instrument.is_screening:
            return [("", [self[f"item_{item.number}"] for item in self.items])]
        groups: list[tuple[str, list[forms.BoundField]]] = []
        for code, label in Domain.choices:
            fields = [self[f"item_{item.number}"] for item in self.items if item.domain == code]
            if fields:
                groups.append((str(label), fields))
        return groups
