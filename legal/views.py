"""Legal pages. Thin: every case comes through ``access.legal.legal_case_get_for_user`` (404 outside
the user's scope), every object is looked up within that case, every write goes through legal.services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from access.legal import LegalAction, legal_can, legal_case_get_for_user
from audit.models import AccessLogEntry
from audit.services import access_log_write
from cases.forms import apply_errors
from core.concurrency import StaleVersion, VersionedForm, conflict_shown

from . import forms as f
from . import selectors, services
from .models import Party

View = Callable[..., HttpResponse]


def legal_view(action: str = LegalAction.VIEW) -> Callable[[View], View]:
    """Signed in, never cached, the case fetched through the legal policy (404 otherwise)."""

    def decorator(fn: View) -> View:
        @login_required
        @never_cache
        def wrapper(request: HttpRequest, case_id: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            case = legal_case_get_for_user(request.user, case_id, action)
            return fn(request, case, *args, **kwargs)

        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        return wrapper

    return decorator


def _log(request: HttpRequest, case: Any, what: str) -> None:
    access_log_write(user=request.user, what=what, case_id=case.pk, survivor_id=case.survivor_id, request=request)


def _back(case: Any) -> HttpResponse:
    return redirect("legal:overview", case_id=case.pk)


def _form_page(request: HttpRequest, case: Any, form: forms.Form, *, title: str, save: Callable[[dict[str, Any]], Any],
               success: str, intro: str = "", files: bool = False, submit: str = "",
               danger: bool = False) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(cleaned_data)`` (a service) and go back to the
    legal page. A refusal shows beside its field with everything typed kept; a stale edit is a 409."""
    conflict = None
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except StaleVersion as exc:
                assert isinstance(form, VersionedForm)
                conflict = conflict_shown(request, form, exc)
            except services.NotAllowed as exc:
                messages.error(request, exc.message)
            except ValidationError as exc:
                apply_errors(form, exc)
                messages.error(request, _("Nothing was saved: please correct the marked fields."))
            else:
                messages.success(request, success)
                return _back(case)
        else:
            messages.error(request, _("Nothing was saved: please correct the marked fields."))
    return render(request, "legal/form.html", {
        "case": case, "form": form, "title": title, "intro": intro, "files": files, "conflict": conflict,
        "submit": submit or _("Save"), "danger": danger,
    }, status=409 if conflict else 200)


# --- the legal page ---------------------------------------------------------------------------------


@legal_view()
def overview(request: HttpRequest, case: Any) -> HttpResponse:
    context = selectors.overview(request.user, case)
    _log(request, case, AccessLogEntry.What.LEGAL_FILE)
    if context["show_identity"] and any(v.parties for v in context["proceedings"]):
        _log(request, case, AccessLogEntry.What.LEGAL_PARTIES)
    return render(request, "legal/overview.html", {
        **context, "case": case, "can_edit": legal_can(request.user, LegalAction.EDIT, case),
    })


# --- proceedings, stages, hearings, parties -------------------------------------------------------


@legal_view(LegalAction.EDIT)
def proceeding_new(request: HttpRequest, case: Any) -> HttpResponse:
    form = f.ProceedingForm(request.POST or None, initial={"version": 0})
    form.fields.pop("version")
    return _form_page(request, case, form, title=_("New criminal proceeding"), success=_("Proceeding recorded."),
                      save=lambda d: services.proceeding_open(actor=request.user, case=case, values=d))


@legal_view(LegalAction.EDIT)
def proceeding_edit(request: HttpRequest, case: Any, proceeding_id: Any) -> HttpResponse:
    proceeding = selectors.proceeding_get(case, proceeding_id)
    initial = {name: getattr(proceeding, name) for name in services.PROCEEDING_FIELDS}
    form = f.ProceedingForm(request.POST or None, initial={**initial, "version": proceeding.version})

    def save(d: dict[str, Any]) -> Any:
        values = {k: v for k, v in d.items() if k != "version"}
        return services.proceeding_update(actor=request.user, proceeding=proceeding, values=values,
                                          version=d["version"])

    return _form_page(request, case, form, title=_("Proceeding: %(title)s") % {"title": proceeding.title},
                      success=_("Proceeding saved."), save=save)


@legal_view(LegalAction.EDIT)
def stage_new(request: HttpRequest, case: Any, proceeding_id: Any) -> HttpResponse:
    proceeding = selectors.proceeding_get(case, proceeding_id)
    form = f.StageForm(request.POST or None)
    return _form_page(
        request, case, form, title=_("Stage reached: %(title)s") % {"title": proceeding.title},
        success=_("Stage recorded."),
        save=lambda d: services.stage_record(actor=request.user, proceeding=proceeding,
                                             data=services.StageInput(**d)))


@legal_view(LegalAction.EDIT)
def hearing_new(request: HttpRequest, case: Any, proceeding_id: Any) -> HttpResponse:
    proceeding = selectors.proceeding_get(case, proceeding_id)
    form = f.HearingForm(request.POST or None, case=case)
    return _form_page(
        request, case, form, title=_("New hearing: %(title)s") % {"title": proceeding.title},
        success=_("Hearing scheduled."),
        save=lambda d: services.hearing_schedule(actor=request.user, proceeding=proceeding, **d))


@legal_view(LegalAction.EDIT)
def hearing_companion(request: HttpRequest, case: Any, hearing_id: Any) -> HttpResponse:
    hearing = selectors.hearing_get(case, hearing_id)
    form = f.CompanionForm(request.POST or None, case=case, initial={
        "companion_user": hearing.companion_user_id, "companion_name": hearing.companion_name,
        "version": hearing.version})

    def save(d: dict[str, Any]) -> Any:
        return services.hearing_companion_assign(actor=request.user, hearing=hearing, version=d["version"],
                                                 companion_user=d["companion_user"],
                                                 companion_name=d["companion_name"])

    return _form_page(request, case, form, title=_("Who accompanies the survivor to the hearing of %(date)s") % {
        "date": timezone.localtime(hearing.at).date().isoformat()}, success=_("Accompanying person saved."), save=save)


@legal_view(LegalAction.EDIT)
def party_new(request: HttpRequest, case: Any, proceeding_id: Any) -> HttpResponse:
    proceeding = selectors.proceeding_get(case, proceeding_id)
    form = f.PartyForm(request.POST or None)
    return _form_page(
        request, case, form, title=_("Suspect or perpetrator: %(title)s") % {"title": proceeding.title},
        intro=_("Record only what the proceeding needs. The name is encrypted and shown to legal officers only."),
        success=_("Recorded."),
        save=lambda d: services.party_record(actor=request.user, proceeding=proceeding, **d))


# --- LPSK ------------------------------------------------------------------------------------------


@legal_view(LegalAction.EDIT)
def lpsk_new(request: HttpRequest, case: Any) -> HttpResponse:
    form = f.LpskForm(request.POST or None)
    return _form_page(request, case, form, title=_("Application to LPSK"), success=_("LPSK application recorded."),
                      save=lambda d: services.lpsk_apply(actor=request.user, case=case, **d))


@legal_view(LegalAction.EDIT)
def lpsk_decide(request: HttpRequest, case: Any, lpsk_id: Any) -> HttpResponse:
    application = selectors.lpsk_get(case, lpsk_id)
    form = f.LpskDecisionForm(request.POST or None)
    return _form_page(request, case, form, title=_("LPSK's decision"), success=_("LPSK's decision recorded."),
                      save=lambda d: services.lpsk_decide(actor=request.user, application=application, **d))


# --- the loss ledger ---------------------------------------------------------------------------------


@legal_view(LegalAction.EDIT)
def loss_new(request: HttpRequest, case: Any) -> HttpResponse:
    form = f.LossForm(request.POST or None, request.FILES or None)

    def save(d: dict[str, Any]) -> Any:
        uploads = [services.upload_of(d["evidence"])] if d.get("evidence") else []
        return services.loss_record(actor=request.user, case=case, head=d["head"], description=d["description"],
                                    amount=d["amount"], incurred_on=d["incurred_on"], evidence=uploads)

    return _form_page(request, case, form, title=_("Record a loss"), files=True, success=_("Loss recorded."),
                      save=save, intro=_("Heads of loss of UU 21/2007 Pasal 48(2) and Perma 1/2022. A claim "
                                         "counts only losses with an evidence document."))


@legal_view(LegalAction.EDIT)
def losses_prefill(request: HttpRequest, case: Any) -> HttpResponse:
    """Propose the medical and psychological costs of recorded service deliveries; the officer
    confirms which become losses."""
    proposals = [(str(c.delivery_id), _("%(date)s · %(service)s · Rp %(cost)s") % {
        "date": c.delivered_on.isoformat(), "service": c.service, "cost": intcomma(c.cost)})
        for c in selectors.delivery_costs_unclaimed(case)]
    form = f.PrefillForm(request.POST or None, proposals=proposals)
    intro = (_("Recorded deliveries of medical and psychological services with a cost not yet in the ledger. "
               "Each confirmed one becomes a loss under \"medical and psychological costs\"; attach the "
               "receipt as evidence afterwards.") if proposals else
             _("No recorded medical or psychological service delivery with a cost is waiting: every one is in "
               "the ledger already, or none has a cost recorded."))
    return _form_page(request, case, form, title=_("Prefill from service deliveries"), intro=intro,
                      success=_("Losses recorded from the service deliveries."), submit=_("Add to the ledger"),
                      save=lambda d: services.losses_prefill(actor=request.user, case=case,
                                                             delivery_ids=d["deliveries"]))


@legal_view(LegalAction.EDIT)
def evidence_new(request: HttpRequest, case: Any, loss_id: Any) -> HttpResponse:
    loss = selectors.loss_get(case, loss_id)
    form = f.EvidenceForm(request.POST or None, request.FILES or None)
    return _form_page(request, case, form, title=_("Evidence for: %(loss)s") % {"loss": loss.description},
                      files=True, success=_("Evidence attached."),
                      save=lambda d: services.evidence_attach(actor=request.user, loss=loss,
                                                              upload=services.upload_of(d["file"])))


@legal_view(LegalAction.EDIT)
def loss_withdraw(request: HttpRequest, case: Any, loss_id: Any) -> HttpResponse:
    loss = selectors.loss_get(case, loss_id)
    form = f.WithdrawForm(request.POST or None)
    return _form_page(request, case, form, title=_("Withdraw the loss: %(loss)s") % {"loss": loss.description},
                      intro=_("The loss leaves the ledger and every later claim; it stays on record with the reason."),
                      success=_("Loss withdrawn."), submit=_("Withdraw"), danger=True,
                      save=lambda d: services.loss_withdraw(actor=request.user, loss=loss, reason=d["reason"]))


def _file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "._-") or "berkas"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@legal_view()
def evidence(request: HttpRequest, case: Any, evidence_id: Any) -> HttpResponse:
    """Open an evidence document: every opening is access-logged."""
    found = selectors.evidence_get(case, evidence_id)
    _log(request, case, AccessLogEntry.What.LEGAL_EVIDENCE)
    return _file_response(bytes(found.content or b""), found.content_type, found.filename)


# --- claim, restitution ordered, payments, steps ----------------------------------------------------


@legal_view(LegalAction.EDIT)
def claim_new(request: HttpRequest, case: Any, proceeding_id: Any) -> HttpResponse:
    proceeding = selectors.proceeding_get(case, proceeding_id)
    form = f.ClaimForm(request.POST or None)
    return _form_page(
        request, case, form, title=_("Restitution claim: %(title)s") % {"title": proceeding.title},
        intro=_("The claim assembles the evidenced losses of the ledger into a new version, as a PDF in Indonesian "
                "(PP 7/2018 content). Earlier versions are kept."),
        success=_("Claim prepared."), submit=_("Prepare the claim"),
        save=lambda d: services.claim_prepare(actor=request.user, proceeding=proceeding, **d))


@legal_view(LegalAction.VIEW_PARTIES)
def claim_pdf(request: HttpRequest, case: Any, claim_id: Any) -> HttpResponse:
    """The claim's PDF names the perpetrators: legal officers only, and logged."""
    claim = selectors.claim_get(case, claim_id)
    _log(request, case, AccessLogEntry.What.LEGAL_PARTIES)
    return _file_response(bytes(claim.pdf or b""), "application/pdf",
                          f"restitusi-{case.survivor.code}-v{claim.number}.pdf")


def _party_label(party: Party, *, identity: bool) -> str:
    text = f"{party.get_role_display()} · {party.get_relationship_display()}"
    return f"{party.name} ({text})" if identity else f"#{party.pk} {text}"


@legal_view(LegalAction.EDIT)
def order_new(request: HttpRequest, case: Any, proceeding_id: Any) -> HttpResponse:
    proceeding = selectors.proceeding_get(case, proceeding_id)
    identity = legal_can(request.user, LegalAction.VIEW_PARTIES, case)
    parties = list(selectors.parties_for(proceeding, with_identity=identity))
    form = f.OrderForm(request.POST or None, parties=[(p.pk, _party_label(p, identity=identity)) for p in parties])
    by_id = {str(p.pk): p for p in parties}
    return _form_page(
        request, case, form, title=_("Restitution ordered: %(title)s") % {"title": proceeding.title},
        success=_("Restitution ordered recorded."),
        save=lambda d: services.order_record(actor=request.user, proceeding=proceeding, party=by_id.get(d["party"]),
                                             amount=d["amount"]))


@legal_view(LegalAction.EDIT)
def payment_new(request: HttpRequest, case: Any, order_id: Any) -> HttpResponse:
    order = selectors.order_get(case, order_id)
    form = f.PaymentForm(request.POST or None, request.FILES or None)

    def save(d: dict[str, Any]) -> Any:
        proof = services.upload_of(d["proof"]) if d.get("proof") else None
        return services.payment_record(actor=request.user, order=order, paid_on=d["paid_on"], amount=d["amount"],
                                       channel=d["channel"], proof_reference=d["proof_reference"], proof=proof)

    return _form_page(request, case, form, title=_("Restitution payment received"), files=True,
                      success=_("Payment recorded."), save=save)


@legal_view(LegalAction.EDIT)
def payment_correct(request: HttpRequest, case: Any, payment_id: Any) -> HttpResponse:
    payment = selectors.payment_get(case, payment_id)
    form = f.CorrectionForm(request.POST or None)
    return _form_page(
        request, case, form, title=_("Correct the payment of %(date)s") % {"date": payment.paid_on.isoformat()},
        intro=_("A payment is never edited: the correction is a new entry with its reason."),
        success=_("Correction recorded."),
        save=lambda d: services.payment_correct(actor=request.user, payment=payment, **d))


@legal_view()
def payment_proof(request: HttpRequest, case: Any, payment_id: Any) -> HttpResponse:
    payment = selectors.payment_proof_get(case, payment_id)
    _log(request, case, AccessLogEntry.What.LEGAL_EVIDENCE)
    return _file_response(bytes(payment.proof or b""), payment.proof_content_type, payment.proof_filename)


@legal_view(LegalAction.EDIT)
def step_new(request: HttpRequest, case: Any, order_id: Any) -> HttpResponse:
    order = selectors.order_get(case, order_id)
    form = f.StepForm(request.POST or None)
    return _form_page(request, case, form, title=_("Non-payment step"), success=_("Step recorded."),
                      save=lambda d: services.step_record(actor=request.user, order=order, **d))
