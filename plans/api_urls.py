"""/api/v1/cases/<case_id>/plan/... and /phase/. The only URL keyword is case_id."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:case_id>/plan/", api.PlanView.as_view(), name="api-case-plan"),
    path("cases/<str:case_id>/plan/submit/", api.PlanSubmitView.as_view(), name="api-plan-submit"),
    path("cases/<str:case_id>/plan/approve/", api.PlanApproveView.as_view(), name="api-plan-approve"),
    path("cases/<str:case_id>/plan/return/", api.PlanReturnView.as_view(), name="api-plan-return"),
    path("cases/<str:case_id>/plan/revisions/", api.PlanRevisionListView.as_view(), name="api-plan-revisions"),
    path("cases/<str:case_id>/phase/", api.PhaseView.as_view(), name="api-case-phase"),
]
