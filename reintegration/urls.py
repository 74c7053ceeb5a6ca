"""Pages. URL keywords: case_id and follow_up_id only (the 404 URL walker names their objects)."""

from django.urls import path

from . import views

app_name = "reintegration"

urlpatterns = [
    path("cases/<uuid:case_id>/close/", views.close, name="close"),
    path("cases/<uuid:case_id>/reopen/", views.reopen, name="reopen"),
    path("cases/<uuid:case_id>/follow-ups/", views.follow_up_list, name="follow_ups"),
    path("cases/<uuid:case_id>/follow-ups/<uuid:follow_up_id>/", views.follow_up_detail, name="follow_up_detail"),
    path("cases/<uuid:case_id>/follow-ups/<uuid:follow_up_id>/record/", views.follow_up_record,
         name="follow_up_record"),
    path("cases/<uuid:case_id>/follow-ups/<uuid:follow_up_id>/missed/", views.follow_up_missed,
         name="follow_up_missed"),
]
