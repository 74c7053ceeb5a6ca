"""/api/v1/cases/<case_id>/livelihood/... and /api/v1/livelihood/... URL keywords: case_id,
opportunity_id, enrolment_id (livelihood/tests/walk.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:case_id>/livelihood/profile/", api.ProfileView.as_view(), name="api-livelihood-profile"),
    path("cases/<str:case_id>/livelihood/suggestions/", api.SuggestionsView.as_view(),
         name="api-livelihood-suggestions"),
    path("cases/<str:case_id>/livelihood/choices/", api.ChoiceView.as_view(), name="api-livelihood-choices"),
    path("cases/<str:case_id>/livelihood/enrolments/", api.EnrolmentListView.as_view(),
         name="api-livelihood-enrolments"),
    path("cases/<str:case_id>/livelihood/placements/", api.PlacementListView.as_view(),
         name="api-livelihood-placements"),
    path("cases/<str:case_id>/livelihood/income/", api.IncomeListView.as_view(), name="api-livelihood-income"),
    path("livelihood/opportunities/", api.OpportunityListView.as_view(), name="api-opportunity-list"),
    path("livelihood/opportunities/<str:opportunity_id>/", api.OpportunityDetailView.as_view(),
         name="api-opportunity-detail"),
    path("livelihood/enrolments/<str:enrolment_id>/complete/", api.EnrolmentCompleteView.as_view(),
         name="api-enrolment-complete"),
]
