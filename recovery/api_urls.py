"""Recovery endpoints under /api/v1/. URL keywords: case_id and assessment_id only."""

from django.urls import path

from . import api

urlpatterns = [
    path("instruments/", api.InstrumentListView.as_view(), name="api-instrument-list"),
    path("cases/<str:case_id>/assessments/", api.AssessmentListView.as_view(), name="api-assessment-list"),
    path("cases/<str:case_id>/assessments/<str:assessment_id>/", api.AssessmentDetailView.as_view(),
         name="api-assessment-detail"),
    path("cases/<str:case_id>/assessments/<str:assessment_id>/complete/", api.AssessmentCompleteView.as_view(),
         name="api-assessment-complete"),
]
