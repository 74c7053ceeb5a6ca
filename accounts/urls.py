from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # Signing in and out
    path("login/", views.login_view, name="login"),
    path("otp/", views.otp_view, name="otp"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    # People of the administrator's own organisation
    path("users/", views.users_view, name="users"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:user_id>/edit/", views.user_edit_view, name="user_edit"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate_view, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate_view, name="user_reactivate"),
    path("users/<int:user_id>/password/", views.user_password_reset_view, name="user_password_reset"),
    # Organisations (platform administrators)
    path("organisations/", views.organisations_view, name="organisations"),
    path("organisations/new/", views.organisation_create_view, name="organisation_create"),
    path("organisations/<int:org_id>/edit/", views.organisation_edit_view, name="organisation_edit"),
    path("organisations/<int:org_id>/deactivate/", views.organisation_deactivate_view, name="organisation_deactivate"),
    path("organisations/<int:org_id>/reactivate/", views.organisation_reactivate_view, name="organisation_reactivate"),
    path(
        "organisations/<int:org_id>/admins/new/", views.organisation_admin_create_view, name="organisation_admin_create"
    ),
    # Personal API tokens
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    # API tokens of the administrator's organisation
    path("organisation/tokens/", views.organisation_tokens_view, name="organisation_tokens"),
    path(
        "organisation/tokens/<int:token_id>/revoke/",
        views.organisation_token_revoke_view,
        name="organisation_token_revoke",
    ),
]
