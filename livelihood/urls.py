"""Livelihood pages. URL keywords: case_id, opportunity_id, enrolment_id, check_id (tests/walk.py)."""

from django.urls import path

from . import views

app_name = "livelihood"

urlpatterns = [
    path("cases/<uuid:case_id>/livelihood/", views.case_page, name="case"),
    path("cases/<uuid:case_id>/livelihood/profile/", views.profile_edit, name="profile"),
    path("cases/<uuid:case_id>/livelihood/choice/", views.choice, name="choice"),
    path("cases/<uuid:case_id>/livelihood/refer/<int:opportunity_id>/", views.refer, name="refer"),
    path("cases/<uuid:case_id>/livelihood/enrolments/new/", views.enrolment_new, name="enrolment_new"),
    path("cases/<uuid:case_id>/livelihood/placements/new/", views.placement_new, name="placement_new"),
    path("cases/<uuid:case_id>/livelihood/checks/<int:check_id>/", views.check_detail, name="check"),
    path("cases/<uuid:case_id>/livelihood/enterprises/new/", views.enterprise_new, name="enterprise_new"),
    path("cases/<uuid:case_id>/livelihood/income/new/", views.income_new, name="income_new"),
    path("livelihood/opportunities/", views.opportunities, name="opportunities"),
    path("livelihood/opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("livelihood/opportunities/<int:opportunity_id>/", views.opportunity_detail, name="opportunity"),
    path("livelihood/opportunities/<int:opportunity_id>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("livelihood/enrolments/", views.provider_enrolments, name="provider_enrolments"),
    path("livelihood/enrolments/<int:enrolment_id>/complete/", views.enrolment_complete, name="enrolment_complete"),
    path("livelihood/demand/", views.demand, name="demand"),
    path("livelihood/demand/import/", views.demand_import, name="demand_import"),
]
