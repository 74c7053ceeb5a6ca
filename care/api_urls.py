"""/api/v1/ service endpoints. URL keywords: case_id, delivery_id (the 404 walker knows them)."""

from django.urls import path

from . import api

urlpatterns = [
    path("services/", api.ServiceListView.as_view(), name="api-service-list"),
    path("cases/<str:case_id>/deliveries/", api.DeliveryListView.as_view(), name="api-case-deliveries"),
    path("cases/<str:case_id>/deliveries/<str:delivery_id>/", api.DeliveryDetailView.as_view(),
         name="api-case-delivery-detail"),
    path("cases/<str:case_id>/clocks/", api.ClockListView.as_view(), name="api-case-clocks"),
    path("cases/<str:case_id>/applications/", api.ApplicationListView.as_view(), name="api-case-applications"),
]
