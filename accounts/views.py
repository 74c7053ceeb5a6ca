"""Pages of the accounts room: signing in (password, then TOTP), enrolment, people,
organisations and personal API tokens. Views parse input, call one service, render."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import accounts as account_access
from core.concurrency import StaleVersion, conflict_shown
from core.models import Region

from . import selectors, services
from .forms import (
    ApiTokenForm,
    LoginForm,
    OrgAdminCreateForm,
    OrganisationForm,
    OrganisationSearchForm,
    OtpForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
)
from .models import Organisation, Role, User

PAGE_SIZE = 25


# --- Helpers -------------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """The page to go to after signing in, if it is one of ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    if not next_url:
        return url
    return f"{url}?{urlencode({'next': next_url})}"


def _form_errors_from(form: Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def _is_verified(user: Any) -> bool:
    """Whether this session passed the second factor (``is_verified`` comes from OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and callable(check) and check())


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _require_org_admin(request: HttpRequest) -> User:
    """Organisation administrators only; for anyone else these pages do not exist."""
    user = request.user
    if not services._is_org_admin(user):
        raise Http404
    return user  # type: ignore[return-value]


def _require_platform_admin(request: HttpRequest) -> User:
    if not account_access.may_manage_organisations(request.user):
        raise Http404
    return request.user  # type: ignore[return-value]


def _organisation_for_admin(request: HttpRequest, org_id: int) -> Organisation:
    try:
        return account_access.organisations_manageable_by(request.user).select_related("region").get(pk=org_id)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Signing in ----------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponseBase:
    """Step 1: username and password. django-axes counts failures and locks out (see settings)."""
    next_url = _next_url(request)
    if _is_verified(request.user):
        return redirect(next_url or "home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            # The axes middleware replaces this response with the locked-out page.
            return render(request, "accounts/locked_out.html", status=429)
        if user is None:
            form.add_error(None, _("Username or password is wrong."))
        elif user.organisation is not None and not user.organisation.is_active:
            form.add_error(None, _("Your organisation's account is deactivated. Ask the Sintas administrators."))
        else:
            auth_login(request, user)
            return redirect(_with_next(reverse("accounts:otp"), next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponseBase:
    """Step 2: the 6-digit code from the person's authenticator app."""
    next_url = _next_url(request)
    user = request.user
    if not user.is_authenticated:
        return redirect(_with_next(reverse("accounts:login"), next_url))
    if _is_verified(user):
        return redirect(next_url or "home")
    devices = _confirmed_devices(user)
    if not devices:
        return redirect(_with_next(reverse("accounts:otp_setup"), next_url))
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not any(device.verify_is_allowed()[0] for device in devices):
            form.add_error(None, _("Too many wrong codes. Wait a minute, then try again with a new code."))
        else:
            for device in devices:
                verified = django_otp.verify_token(user, device.persistent_id, form.cleaned_data["token"])
                if verified is not None:
                    django_otp.login(request, verified)
                    return redirect(next_url or "home")
            form.add_error("token", _("This code is wrong or has expired. Try the newest code in the app."))
    return render(request, "accounts/otp.html", {"form": form, "next": next_url})


def _qr_data_uri(device: TOTPDevice) -> str:
    # An <img> data: URL: allowed by the CSP's img-src, and nothing in it can run.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4, light="#fff", dark="#000")


def _secret_text(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup_view(request: HttpRequest) -> HttpResponseBase:
    """Enrolment: for a person with no confirmed authenticator yet (new, or reset by their administrator).

    A person who already has one must use it: otherwise a stolen password alone could enrol a new one.
    """
    next_url = _next_url(request)
    user = request.user
    if not user.is_authenticated:
        return redirect(_with_next(reverse("accounts:login"), next_url))
    if _confirmed_devices(user):
        return redirect(_with_next(reverse("accounts:otp"), next_url))
    device = services.otp_device_start(user=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = django_otp.verify_token(user, device.persistent_id, form.cleaned_data["token"])
        if verified is None:
            form.add_error("token", _("This code is wrong or has expired. Check the app and try the newest code."))
        else:
            services.otp_device_confirm(user=user, device=verified)
            django_otp.login(request, verified)
            messages.success(request, _("Two-factor authentication is set up. Keep the app on your phone."))
            return redirect(next_url or "home")
    context = {
        "form": form,
        "next": next_url,
        "qr_data_uri": _qr_data_uri(device),
        "secret": _secret_text(device),
        "issuer": getattr(settings, "OTP_TOTP_ISSUER", "Sintas"),
    }
    return _no_store(render(request, "accounts/otp_setup.html", context))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseBase:
    auth_logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponseBase:
    """A person replaces the temporary password their administrator gave them."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


# --- People (organisation administrators) ----------------------------------------------------


@require_http_methods(["GET"])
def users_view(request: HttpRequest) -> HttpResponse:
    admin = _require_org_admin(request)
    search = UserSearchForm(request.GET or None)
    qs = account_access.users_manageable_by(admin).prefetch_related("roles").order_by("username")
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"].strip()
        qs = qs.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
        )
    page = _page(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/users.html",
        {"search": search, "page": page, "query": query.urlencode(), "organisation": admin.organisation},
    )


@sensitive_post_parameters("password", "password_confirm")
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponseBase:
    admin = _require_org_admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=admin,
                organisation=admin.organisation,  # type: ignore[arg-type]
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=data["roles"],
                password=data["password"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s can now sign in with the temporary password and set up two-factor authentication.")
                % {"name": user.display_name},
            )
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def user_edit_view(request: HttpRequest, user_id: int) -> HttpResponseBase:
    admin = _require_org_admin(request)
    person = account_access.user_get_for_admin(admin, user_id)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "roles": sorted(person.role_set()),
        "version": person.version,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=admin,
                user=person,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=data["roles"],
                version=data["version"],
            )
        except StaleVersion as exc:
            conflict = conflict_shown(request, form, exc)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved the changes to %(name)s.") % {"name": person.display_name})
            return redirect("accounts:users")
    has_device = TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "creating": False, "person": person, "has_device": has_device, "is_self": person == admin,
         "conflict": conflict},
        status=409 if conflict else 200,
    )


def _set_active(request: HttpRequest, user_id: int, active: bool) -> HttpResponseBase:
    admin = _require_org_admin(request)
    person = account_access.user_get_for_admin(admin, user_id)
    try:
        services.user_set_active(actor=admin, user=person, active=active)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": person.display_name})
        else:
            messages.success(
                request, _("%(name)s is deactivated and can no longer sign in.") % {"name": person.display_name}
            )
    return redirect("accounts:user_edit", user_id=person.pk)


@require_POST
def user_deactivate_view(request: HttpRequest, user_id: int) -> HttpResponseBase:
    return _set_active(request, user_id, active=False)


@require_POST
def user_reactivate_view(request: HttpRequest, user_id: int) -> HttpResponseBase:
    return _set_active(request, user_id, active=True)


@sensitive_post_parameters("password", "password_confirm")
@require_http_methods(["GET", "POST"])
def user_password_reset_view(request: HttpRequest, user_id: int) -> HttpResponseBase:
    admin = _require_org_admin(request)
    person = account_access.user_get_for_admin(admin, user_id)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset(
                actor=admin,
                user=person,
                password=form.cleaned_data["password"],
                reset_two_factor=form.cleaned_data["reset_two_factor"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            if form.cleaned_data["reset_two_factor"]:
                messages.success(
                    request,
                    _(
                        "New temporary password set for %(name)s. They set up two-factor authentication again "
                        "at their next sign-in."
                    )
                    % {"name": person.display_name},
                )
            else:
                messages.success(request, _("New temporary password set for %(name)s.") % {"name": person.display_name})
            return redirect("accounts:user_edit", user_id=person.pk)
    return render(request, "accounts/user_password_reset.html", {"form": form, "person": person})


# --- Organisations (platform administrators) -------------------------------------------------


def _region_choices() -> QuerySet[Region]:
    return Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]).only("code", "name")


@require_http_methods(["GET"])
def organisations_view(request: HttpRequest) -> HttpResponse:
    admin = _require_platform_admin(request)
    search = OrganisationSearchForm(request.GET or None)
    qs = account_access.organisations_manageable_by(admin).select_related("region").order_by("name")
    if search.is_valid() and search.cleaned_data["q"]:
        qs = qs.filter(name__icontains=search.cleaned_data["q"].strip())
    page = _page(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/organisations.html", {"search": search, "page": page, "query": query.urlencode()})


def _save_organisation(request: HttpRequest, form: OrganisationForm, organisation: Organisation | None) -> Any:
    data = form.cleaned_data
    try:
        if organisation is None:
            return services.organisation_create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                region_code=data["region"],
                time_zone=data["time_zone"] or None,
            )
        return services.organisation_update(
            actor=request.user,
            organisation=organisation,
            name=data["name"],
            kind=data["kind"],
            region_code=data["region"],
            time_zone=data["time_zone"] or None,
            version=data["version"],
        )
    except ValidationError as exc:
        _form_errors_from(form, exc)
        return None


@require_http_methods(["GET", "POST"])
def organisation_create_view(request: HttpRequest) -> HttpResponseBase:
    _require_platform_admin(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = _save_organisation(request, form, None)
        if organisation is not None:
            messages.success(
                request,
                _("Created %(name)s. Now create its first administrator.") % {"name": organisation.name},
            )
            return redirect("accounts:organisation_edit", org_id=organisation.pk)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "creating": True, "regions": _region_choices()}
    )


@require_http_methods(["GET", "POST"])
def organisation_edit_view(request: HttpRequest, org_id: int) -> HttpResponseBase:
    _require_platform_admin(request)
    organisation = _organisation_for_admin(request, org_id)
    initial = {
        "name": organisation.name,
        "kind": organisation.kind,
        "region": organisation.region_id,
        "time_zone": organisation.time_zone,
        "version": organisation.version,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_organisation(request, form, organisation)
        except StaleVersion as exc:
            conflict, saved = conflict_shown(request, form, exc), None
        if saved is not None:
            messages.success(request, _("Saved the changes to %(name)s.") % {"name": organisation.name})
            return redirect("accounts:organisations")
    # Administrators only: platform administrators see who runs an organisation, not its casework.
    admins = User.objects.filter(organisation=organisation, roles__role=Role.ORG_ADMIN).distinct().order_by("username")
    return render(
        request,
        "accounts/organisation_form.html",
        {
            "form": form,
            "creating": False,
            "organisation": organisation,
            "admins": admins,
            "regions": _region_choices(),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _organisation_set_active(request: HttpRequest, org_id: int, active: bool) -> HttpResponseBase:
    _require_platform_admin(request)
    organisation = _organisation_for_admin(request, org_id)
    services.organisation_set_active(actor=request.user, organisation=organisation, active=active)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": organisation.name})
    else:
        messages.success(
            request,
            _("%(name)s is deactivated: its people can no longer sign in. Nothing was deleted.")
            % {"name": organisation.name},
        )
    return redirect("accounts:organisation_edit", org_id=organisation.pk)


@require_POST
def organisation_deactivate_view(request: HttpRequest, org_id: int) -> HttpResponseBase:
    return _organisation_set_active(request, org_id, active=False)


@require_POST
def organisation_reactivate_view(request: HttpRequest, org_id: int) -> HttpResponseBase:
    return _organisation_set_active(request, org_id, active=True)


@sensitive_post_parameters("password", "password_confirm")
@require_http_methods(["GET", "POST"])
def organisation_admin_create_view(request: HttpRequest, org_id: int) -> HttpResponseBase:
    """A platform administrator creates an organisation's administrator (usually its first)."""
    _require_platform_admin(request)
    organisation = _organisation_for_admin(request, org_id)
    form = OrgAdminCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                organisation=organisation,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=[Role.ORG_ADMIN],
                password=data["password"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now an administrator of %(organisation)s.")
                % {"name": user.display_name, "organisation": organisation.name},
            )
            return redirect("accounts:organisation_edit", org_id=organisation.pk)
    return render(request, "accounts/organisation_admin_form.html", {"form": form, "organisation": organisation})


# --- API tokens ------------------------------------------------------------------------------


def _require_verified(request: HttpRequest) -> User:
    # The middleware already sends unverified people to the OTP step; this is the second lock.
    user = request.user
    if not _is_verified(user):
        raise Http404
    return user  # type: ignore[return-value]


@never_cache
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    user = _require_verified(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = services.api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],  # blank: the longest life allowed
                verified=_is_verified(request.user),
                request=request,
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": selectors.api_tokens_of_user(user),
            "new_key": new_key,
            "new_token": new_token,
            "is_org_admin": services._is_org_admin(user),
        },
    )
    # The key is on this page only; no cache (browser or proxy) may keep it.
    return _no_store(response)


@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponseBase:
    user = _require_verified(request)
    token = selectors.api_token_get_for_user(user, token_id)
    services.api_token_revoke(actor=user, token=token, request=request)
    messages.success(request, _("The token “%(name)s” is revoked and no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")


# --- API tokens of the organisation (organisation administrators) ----------------------------


@require_http_methods(["GET"])
def organisation_tokens_view(request: HttpRequest) -> HttpResponse:
    admin = _require_org_admin(request)
    page = _page(request, selectors.api_tokens_of_organisation(admin))
    return render(request, "accounts/organisation_tokens.html", {"page": page, "organisation": admin.organisation})


@require_http_methods(["GET", "POST"])
def organisation_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponseBase:
    """A confirmation page first (GET), then the revocation (POST)."""
    admin = _require_org_admin(request)
    token = selectors.api_token_get_for_admin(admin, token_id)
    if request.method == "POST":
        if services.api_token_revoke(actor=admin, token=token, request=request):
            messages.success(
                request,
                _("The token “%(name)s” of %(owner)s is revoked and no longer works.")
                % {"name": token.name, "owner": token.user.display_name},
            )
        else:
            messages.info(request, _("The token “%(name)s” was already revoked.") % {"name": token.name})
        return redirect("accounts:organisation_tokens")
    return render(request, "accounts/organisation_token_revoke.html", {"token": token})
