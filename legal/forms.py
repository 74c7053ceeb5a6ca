"""Forms of the legal pages. They only shape input; every rule is in legal.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.concurrency import VersionedForm

from .models import (
    ClaimRecipient,
    LossHead,
    LpskDecision,
    NonPaymentStep,
    PartyRole,
    PaymentChannel,
    Protection,
    Relationship,
    Stage,
    SurvivorRole,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _amount(label: Any) -> forms.DecimalField:
    # Negative and zero amounts reach the service, which refuses them with its own message.
    return forms.DecimalField(label=label, max_digits=15, decimal_places=0)


class ProceedingForm(VersionedForm):
    title = forms.CharField(label=_("short description"), max_length=200)
    survivor_role = forms.ChoiceField(label=_("the survivor's role"), choices=SurvivorRole.choices)
    police_report_number = forms.CharField(label=_("police report number"), max_length=100, required=False)
    police_unit = forms.CharField(label=_("police unit"), max_length=200, required=False)
    police_report_date = _date(_("police report date"), required=False)
    court_name = forms.CharField(label=_("court"), max_length=200, required=False)
    child_victim = forms.BooleanField(label=_("child victim (PP 43/2017 applies)"), required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)
    on = _date(_("date"))
    institution = forms.CharField(label=_("responsible institution"), max_length=200)
    case_number = forms.CharField(label=_("case number"), max_length=100, required=False)
    articles_proven = forms.CharField(label=_("articles proven (verdict)"), max_length=300, required=False)
    sentence = forms.CharField(label=_("sentence (verdict)"), max_length=300, required=False)
    served_on = _date(_("date the final judgment was served (final judgment)"), required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _display_name(user: Any) -> str:
    return str(user.display_name)


class CompanionFields(forms.Form):
    companion_user = forms.ModelChoiceField(label=_("accompanying person (user)"), queryset=User.objects.none(),
                                            required=False)
    companion_name = forms.CharField(label=_("accompanying person (name)"), max_length=200, required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["companion_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(organisation_id=case.lead_organisation_id, is_active=True).order_by(
            "first_name", "username")
        field.label_from_instance = _display_name  # type: ignore[method-assign,assignment]


class HearingForm(CompanionFields):
    at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("place"), max_length=200)
    purpose = forms.CharField(label=_("purpose"), max_length=200, required=False)


class CompanionForm(VersionedForm, CompanionFields):
    pass


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=PartyRole.choices)
    relationship = forms.ChoiceField(label=_("relationship to the survivor"), choices=Relationship.choices)
    at_large = forms.BooleanField(label=_("at large (DPO)"), required=False)
    name = forms.CharField(label=_("name"), max_length=200)
    identity_note = forms.CharField(label=_("other identifying details"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class LpskForm(forms.Form):
    applied_on = _date(_("date of application"))
    requested = forms.MultipleChoiceField(label=_("protection requested"), choices=Protection.choices,
                                          widget=forms.CheckboxSelectMultiple)


class LpskDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=LpskDecision.choices)
    decided_on = _date(_("date of decision"))
    complete_on = _date(_("found complete on"), required=False)
    granted = forms.MultipleChoiceField(label=_("protection granted"), choices=Protection.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    protection_until = _date(_("protection until"), required=False)


class LossForm(forms.Form):
    head = forms.ChoiceField(label=_("head of loss"), choices=LossHead.choices)
    description = forms.CharField(label=_("description"), max_length=300)
    amount = _amount(_("amount (Rp)"))
    incurred_on = _date(_("date"))
    evidence = forms.FileField(label=_("evidence document (PDF, JPEG or PNG)"), required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("evidence document (PDF, JPEG or PNG)"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 2}))


class ClaimForm(forms.Form):
    recipient = forms.ChoiceField(label=_("submitted to"), choices=ClaimRecipient.choices)
    filed_on = _date(_("filed on"))


class OrderForm(forms.Form):
    party = forms.ChoiceField(label=_("perpetrator"))
    amount = _amount(_("restitution ordered (Rp)"))

    def __init__(self, *args: Any, parties: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(pk), label) for pk, label in parties]


class PaymentForm(forms.Form):
    paid_on = _date(_("date"))
    amount = _amount(_("amount (Rp)"))
    channel = forms.ChoiceField(label=_("how it was paid"), choices=PaymentChannel.choices)
    proof_reference = forms.CharField(label=_("proof (receipt or transfer number)"), max_length=100)
    proof = forms.FileField(label=_("proof file (PDF, JPEG or PNG)"), required=False)


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(label=_("amount the correction adds (negative: takes away), Rp"), max_digits=15,
                                decimal_places=0)
    reason = forms.CharField(label=_("reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("step"), choices=NonPaymentStep.choices)
    on = _date(_("date"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PrefillForm(forms.Form):
    """The deliveries whose cost the officer confirms as losses (all proposed ones ticked)."""

    deliveries = forms.MultipleChoiceField(label=_("medical and psychological costs from service deliveries"),
                                           required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, proposals: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["deliveries"]
        field.choices = proposals
        field.initial = [value for value, _label in proposals]
