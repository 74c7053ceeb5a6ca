"""Service pages. URL keywords: case_id, delivery_id, application_id (the 404 walker knows them)."""

from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("work/", views.work_queue, name="work_queue"),
    path("organisation/services/", views.organisation_services, name="organisation_services"),
    path("cases/<uuid:case_id>/services/", views.delivery_list, name="deliveries"),
    path("cases/<uuid:case_id>/services/new/", views.delivery_new, name="delivery_new"),
    path("cases/<uuid:case_id>/services/<uuid:delivery_id>/", views.delivery_edit, name="delivery_edit"),
    path("cases/<uuid:case_id>/services/applications/new/", views.application_new, name="application_new"),
    path(
        "cases/<uuid:case_id>/services/applications/<uuid:application_id>/delete/",
        views.application_delete,
        name="application_delete",
    ),
]
