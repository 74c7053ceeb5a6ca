"""Partner directory pages. URL keyword: partner_id (an organisation's id; the 404 walker knows it)."""

from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.search, name="search"),
    path("partners/profile/", views.edit, name="edit"),
    path("partners/<int:partner_id>/", views.detail, name="detail"),
]
