from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="list"),
    path("new/", views.register, name="register"),
    path("access-log/", views.access_log, name="access_log"),
    path("alerts/<int:alert_id>/read/", views.alert_read, name="alert_read"),
    path("<uuid:case_id>/", views.case_file, name="detail"),
    path("<uuid:case_id>/intake/", views.intake_edit, name="intake"),
    path("<uuid:case_id>/identity/", views.identity, name="identity"),
    path("<uuid:case_id>/identity/edit/", views.identity_edit, name="identity_edit"),
    path("<uuid:case_id>/identity/photo/", views.identity_photo, name="photo"),
    path("<uuid:case_id>/identity/guardians/new/", views.guardian_new, name="guardian_new"),
    path("<uuid:case_id>/status/", views.transition, name="transition"),
    path("<uuid:case_id>/team/", views.team, name="team"),
    path("<uuid:case_id>/consents/new/", views.consent_new, name="consent_new"),
    path("<uuid:case_id>/consents/<uuid:consent_id>/amend/", views.consent_amend, name="consent_amend"),
    path("<uuid:case_id>/consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:case_id>/history/", views.history, name="history"),
    path("<uuid:case_id>/access-log/", views.case_access_log, name="case_access_log"),
]
