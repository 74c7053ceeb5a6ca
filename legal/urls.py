"""Legal pages. URL keywords: case_id (every page) and the room's own ids (legal/tests/walk.py)."""

from django.urls import path

from . import views

app_name = "legal"

_c = "cases/<uuid:case_id>/legal/"

urlpatterns = [
    path(_c, views.overview, name="overview"),
    path(f"{_c}proceedings/new/", views.proceeding_new, name="proceeding_new"),
    path(f"{_c}proceedings/<int:proceeding_id>/edit/", views.proceeding_edit, name="proceeding_edit"),
    path(f"{_c}proceedings/<int:proceeding_id>/stages/new/", views.stage_new, name="stage_new"),
    path(f"{_c}proceedings/<int:proceeding_id>/hearings/new/", views.hearing_new, name="hearing_new"),
    path(f"{_c}proceedings/<int:proceeding_id>/parties/new/", views.party_new, name="party_new"),
    path(f"{_c}proceedings/<int:proceeding_id>/claims/new/", views.claim_new, name="claim_new"),
    path(f"{_c}proceedings/<int:proceeding_id>/orders/new/", views.order_new, name="order_new"),
    path(f"{_c}hearings/<int:hearing_id>/companion/", views.hearing_companion, name="hearing_companion"),
    path(f"{_c}lpsk/new/", views.lpsk_new, name="lpsk_new"),
    path(f"{_c}lpsk/<int:lpsk_id>/decision/", views.lpsk_decide, name="lpsk_decide"),
    path(f"{_c}losses/new/", views.loss_new, name="loss_new"),
    path(f"{_c}losses/prefill/", views.losses_prefill, name="losses_prefill"),
    path(f"{_c}losses/<int:loss_id>/evidence/new/", views.evidence_new, name="evidence_new"),
    path(f"{_c}losses/<int:loss_id>/withdraw/", views.loss_withdraw, name="loss_withdraw"),
    path(f"{_c}evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path(f"{_c}claims/<int:claim_id>/pdf/", views.claim_pdf, name="claim_pdf"),
    path(f"{_c}orders/<int:order_id>/payments/new/", views.payment_new, name="payment_new"),
    path(f"{_c}orders/<int:order_id>/steps/new/", views.step_new, name="step_new"),
    path(f"{_c}payments/<int:payment_id>/correct/", views.payment_correct, name="payment_correct"),
    path(f"{_c}payments/<int:payment_id>/proof/", views.payment_proof, name="payment_proof"),
]
