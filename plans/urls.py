"""Plan pages. URL keywords: case_id (every page) and revision_id (a PlanRevision's pk)."""

from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("cases/<uuid:case_id>/plan/", views.plan_detail, name="plan"),
    path("cases/<uuid:case_id>/plan/edit/", views.plan_edit, name="edit"),
    path("cases/<uuid:case_id>/plan/submit/", views.plan_submit, name="submit"),
    path("cases/<uuid:case_id>/plan/approval/", views.plan_decide, name="decide"),
    path("cases/<uuid:case_id>/plan/revisions/", views.revision_list, name="revisions"),
    path("cases/<uuid:case_id>/plan/revisions/<int:revision_id>/", views.revision_detail, name="revision"),
    path("cases/<uuid:case_id>/phase/", views.phase_edit, name="phase"),
]
