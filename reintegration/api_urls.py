"""/api/v1/ routes of the reintegration room. URL keywords: case_id and follow_up_id only."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:case_id>/close/", api.CaseCloseView.as_view(), name="api-case-close"),
    path("cases/<str:case_id>/reopen/", api.CaseReopenView.as_view(), name="api-case-reopen"),
    path("cases/<str:case_id>/follow-ups/", api.FollowUpListView.as_view(), name="api-case-follow-ups"),
    path(
        "cases/<str:case_id>/follow-ups/<str:follow_up_id>/record/",
        api.FollowUpRecordView.as_view(),
        name="api-follow-up-record",
    ),
]
