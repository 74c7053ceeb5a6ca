from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LinkageRequest


class LinkageFilterForm(forms.Form):
    code = forms.CharField(label=_("Survivor code"), required=False, max_length=16)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all"))] + list(LinkageRequest.Status.choices))


class LinkageDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note (optional, no names)"), required=False, max_length=300)
