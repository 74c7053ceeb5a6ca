"""Assessment pages. URL keywords: case_id and assessment_id only (the 404 walker knows them)."""

from django.urls import path

from . import views

app_name = "recovery"

urlpatterns = [
    path("cases/<uuid:case_id>/assessments/", views.assessment_list, name="list"),
    path("cases/<uuid:case_id>/assessments/new/", views.assessment_start, name="start"),
    path("cases/<uuid:case_id>/assessments/<uuid:assessment_id>/", views.assessment_detail, name="detail"),
    path("cases/<uuid:case_id>/assessments/<uuid:assessment_id>/edit/", views.assessment_fill, name="fill"),
    path("cases/<uuid:case_id>/assessments/<uuid:assessment_id>/discard/", views.assessment_discard,
         name="discard"),
]
