"""Every write in the accounts room: people, organisations, second factors and API tokens.

Each function takes keyword arguments only, runs in one transaction and writes its change
record through ``audit.services.history_record`` in the same transaction. Password hashes and
TOTP secrets never reach the history: they are always recorded as redacted.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import accounts as account_access
from audit.models import AccessLogEntry, ChangeRecord
from audit.services import access_log_write, history_record, snapshot
from core import clock
from core.concurrency import version_bump, version_check
from core.models import Region

from .models import ApiToken, Organisation, Role, RoleAssignment, User, time_zone_for_region

# The password hash is a secret too: the history says a password changed, never what it became.
USER_REDACT = frozenset({"password"})
# The TOTP seed is the second factor itself.
DEVICE_REDACT = frozenset({"key"})
# last_used_at is written at most this often, so a busy API client does not write on every call.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


# --- Helpers -------------------------------------------------------------------------------


def _history_delete(*, actor: Any, instance: models.Model, redact: frozenset[str] = frozenset()) -> None:
    """Delete a record and write a change record whose values go from what they were to nothing."""
    before = snapshot(instance)
    pk = instance.pk
    instance.delete()
    ghost = instance.__class__()
    for field in instance._meta.concrete_fields:
        setattr(ghost, field.attname, None)
    ghost.pk = pk
    history_record(actor=actor, instance=ghost, action=ChangeRecord.Action.DELETE, before=before, redact=redact)


def _clean_roles(roles: Iterable[str]) -> list[str]:
    valid = set(Role.values)
    cleaned = sorted({str(r) for r in roles})
    unknown = [r for r in cleaned if r not in valid]
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}})
    return cleaned


def _roles_set(*, actor: Any, user: User, roles: list[str]) -> None:
    current = {ra.role: ra for ra in RoleAssignment.objects.filter(user=user)}
    for role in roles:
        if role not in current:
            assignment = RoleAssignment.objects.create(user=user, role=role)
            history_record(actor=actor, instance=assignment, action=ChangeRecord.Action.CREATE)
    for role, assignment in current.items():
        if role not in roles:
            _history_delete(actor=actor, instance=assignment)
    user.__dict__.pop("_role_cache", None)  # roles changed: read them again


def _active_admin_ids_locked(organisation_id: Any) -> list[int]:
    """The organisation's active administrators, locked until the transaction ends, so two
    administrators cannot remove each other at the same moment. (No DISTINCT: PostgreSQL refuses
    it with FOR UPDATE, and a user holds each role at most once.)"""
    return list(
        User.objects.select_for_update()
        .filter(organisation_id=organisation_id, is_active=True, roles__role=Role.ORG_ADMIN)
        .values_list("pk", flat=True)
    )


def _is_org_admin(actor: Any) -> bool:
    return bool(getattr(actor, "pk", None)) and account_access.users_manageable_by(actor).filter(pk=actor.pk).exists()


def _check_may_manage_user(actor: Any, user: User) -> None:
    """Org admins manage their own organisation's people; anything else does not exist for them."""
    if not account_access.users_manageable_by(actor).filter(pk=user.pk).exists():
        raise Http404


def _check_may_create_in(actor: Any, organisation: Organisation, roles: list[str]) -> None:
    if account_access.may_manage_organisations(actor):
        # Platform administrators only start an organisation off with its administrators; they
        # never create case workers (that would hand them a way into case files).
        if set(roles) != {Role.ORG_ADMIN}:
            raise ValidationError({"roles": _("A platform administrator can create organisation administrators only.")})
        return
    if not (_is_org_admin(actor) and actor.organisation_id == organisation.pk):
        raise Http404


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


# --- People ----------------------------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    organisation: Organisation,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    roles: Iterable[str],
    password: str,
) -> User:
    """Create a person in ``organisation`` with an initial password they enrol their second factor with.

    Never grants the platform-administrator flag: that is given on the server, not in the interface.
    """
    username = username.strip()
    role_list = _clean_roles(roles)
    _check_may_create_in(actor, organisation, role_list)
    if not organisation.is_active:
        raise ValidationError(_("This organisation is deactivated."))
    if not username:
        raise ValidationError({"username": _("Enter a username.")})
    if not role_list:
        raise ValidationError({"roles": _("Choose at least one role.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        organisation=organisation,
        is_platform_admin=False,
        is_staff=False,
        is_superuser=False,
    )
    _validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        history_record(actor=actor, instance=user, action=ChangeRecord.Action.CREATE, redact=USER_REDACT)
        _roles_set(actor=actor, user=user, roles=role_list)
    return user


def user_update(
    *,
    actor: Any,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[str],
    version: int | None = None,
) -> User:
    """Change a person's names, email and roles. Their organisation and platform flag never change here.

    ``version``: the user's version the change is based on; raises ``StaleVersion`` (nothing
    written) when someone saved the user since (``core.concurrency``).
    """
    _check_may_manage_user(actor, user)
    role_list = _clean_roles(roles)
    if not role_list:
        raise ValidationError({"roles": _("Choose at least one role.")})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        version_check(locked, version, submitted={
            "first_name": first_name.strip(), "last_name": last_name.strip(), "email": email.strip(),
            "roles": sorted(role_list),
        }, current={"first_name": locked.first_name, "last_name": locked.last_name, "email": locked.email,
                    "roles": sorted(locked.role_set())})
        user.version = locked.version
        admins = _active_admin_ids_locked(user.organisation_id)
        if user.pk in admins and Role.ORG_ADMIN not in role_list and len(admins) <= 1:
            raise ValidationError(
                {"roles": _("This is the organisation's last administrator; the administrator role must stay.")}
            )
        before = snapshot(user)
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.email = email.strip()
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save(update_fields=["first_name", "last_name", "email", version_bump(user)])
        history_record(actor=actor, instance=user, action=ChangeRecord.Action.UPDATE, before=before, redact=USER_REDACT)
        _roles_set(actor=actor, user=user, roles=role_list)
    return user


def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Deactivate (the person can no longer sign in or use tokens) or reactivate a person."""
    _check_may_manage_user(actor, user)
    if not active and user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        if not active:
            admins = _active_admin_ids_locked(user.organisation_id)
            if user.pk in admins and len(admins) <= 1:
                raise ValidationError(_("This is the organisation's last administrator and cannot be deactivated."))
        if user.is_active == active:
            return user
        before = snapshot(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        history_record(actor=actor, instance=user, action=ChangeRecord.Action.UPDATE, before=before, redact=USER_REDACT)
    return user


def user_password_reset(*, actor: Any, user: User, password: str, reset_two_factor: bool = False) -> User:
    """Set a temporary password; with ``reset_two_factor`` the person also enrols a new authenticator."""
    _check_may_manage_user(actor, user)
    _validate_password(password, user)
    with transaction.atomic():
        before = snapshot(user)
        user.set_password(password)
        user.save(update_fields=["password"])
        history_record(actor=actor, instance=user, action=ChangeRecord.Action.UPDATE, before=before, redact=USER_REDACT)
        if reset_two_factor:
            for device in TOTPDevice.objects.filter(user=user):
                _history_delete(actor=actor, instance=device, redact=DEVICE_REDACT)
        # Existing API tokens are left alone: they were made by the person, not by the password.
    return user


def user_password_change(*, user: User, old_password: str, password: str) -> User:
    """A person replaces their own (temporary) password."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your current password is wrong.")})
    _validate_password(password, user)
    with transaction.atomic():
        before = snapshot(user)
        user.set_password(password)
        user.save(update_fields=["password"])
        history_record(actor=user, instance=user, action=ChangeRecord.Action.UPDATE, before=before, redact=USER_REDACT)
    return user


# --- Second factor ---------------------------------------------------------------------------


def otp_device_start(*, user: User) -> TOTPDevice:
    """The person's unconfirmed authenticator, created on first visit to enrolment."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
            history_record(actor=user, instance=device, action=ChangeRecord.Action.CREATE, redact=DEVICE_REDACT)
    return device


def otp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """Mark an enrolled authenticator as confirmed (the caller has verified a code from it)."""
    if device.user_id != user.pk:
        raise Http404
    with transaction.atomic():
        before = snapshot(device)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        history_record(
            actor=user, instance=device, action=ChangeRecord.Action.UPDATE, before=before, redact=DEVICE_REDACT
        )
        # Other half-finished enrolments are useless now.
        for other in TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk):
            _history_delete(actor=user, instance=other, redact=DEVICE_REDACT)
    return device


# --- Organisations ---------------------------------------------------------------------------


def _region_for_organisation(region_code: str) -> Region:
    code = (region_code or "").strip()
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region": _("“%(code)s” is not a known region code.") % {"code": code}})
    if region.level not in (Region.Level.PROVINCE, Region.Level.REGENCY):
        raise ValidationError({"region": _("Choose a province or a regency or city, not a district.")})
    return region


def _check_may_manage_organisations(actor: Any) -> None:
    if not account_access.may_manage_organisations(actor):
        raise Http404


def _check_name_free(name: str, exclude_pk: Any = None) -> None:
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    qs = Organisation.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})


def _check_kind(kind: str) -> None:
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": _("Choose a type from the list.")})


def _time_zone(time_zone: str | None, region: Region) -> str:
    if not time_zone:
        return str(time_zone_for_region(region.code))
    if time_zone not in Organisation.TimeZone.values:
        raise ValidationError({"time_zone": _("Choose WIB, WITA or WIT.")})
    return time_zone


def organisation_create(
    *, actor: Any, name: str, kind: str, region_code: str, time_zone: str | None = None
) -> Organisation:
    """Create an organisation. Its time zone follows its region unless one is given."""
    _check_may_manage_organisations(actor)
    name = name.strip()
    _check_name_free(name)
    _check_kind(kind)
    region = _region_for_organisation(region_code)
    organisation = Organisation(name=name, kind=kind, region=region, time_zone=_time_zone(time_zone, region))
    with transaction.atomic():
        organisation.save()
        history_record(actor=actor, instance=organisation, action=ChangeRecord.Action.CREATE)
    return organisation


def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    kind: str,
    region_code: str,
    time_zone: str | None = None,
    version: int | None = None,
) -> Organisation:
    """Change an organisation. ``version``: its version the change is based on; raises
    ``StaleVersion`` (nothing written) when someone saved it since (``core.concurrency``)."""
    _check_may_manage_organisations(actor)
    name = name.strip()
    _check_name_free(name, exclude_pk=organisation.pk)
    _check_kind(kind)
    region = _region_for_organisation(region_code)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        version_check(locked, version, submitted={
            "name": name, "kind": kind, "region": region.pk, "time_zone": time_zone or locked.time_zone,
        }, current={"name": locked.name, "kind": locked.kind, "region": locked.region_id,
                    "time_zone": locked.time_zone})
        organisation.version = locked.version
        before = snapshot(organisation)
        organisation.name = name
        organisation.kind = kind
        organisation.region = region
        organisation.time_zone = _time_zone(time_zone, region)
        organisation.save(update_fields=["name", "kind", "region", "time_zone", version_bump(organisation)])
        history_record(actor=actor, instance=organisation, action=ChangeRecord.Action.UPDATE, before=before)
    return organisation


def organisation_set_active(*, actor: Any, organisation: Organisation, active: bool) -> Organisation:
    """A deactivated organisation's people can no longer sign in or use API tokens; nothing is deleted."""
    _check_may_manage_organisations(actor)
    with transaction.atomic():
        if organisation.is_active == active:
            return organisation
        before = snapshot(organisation)
        organisation.is_active = active
        organisation.save(update_fields=["is_active"])
        history_record(actor=actor, instance=organisation, action=ChangeRecord.Action.UPDATE, before=before)
    return organisation


# --- API tokens ------------------------------------------------------------------------------


class ApiTokenRefused(Exception):
    """A key that does not sign anyone in; ``str(exc)`` says why, for the person holding the key."""


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_max_days() -> int:
    return int(settings.SINTAS_API_TOKEN_DAYS)


def api_token_create(
    *, user: User, name: str, verified: bool, days: int | None = None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new personal API token and its key. Only the key's SHA-256 hash is stored; the key is
    returned once, to be shown once. ``verified``: whether the person passed the second factor in
    this session (``request.user.is_verified()``); a token is a way around it, so it needs it.
    ``days``: how long it lives, at most ``SINTAS_API_TOKEN_DAYS`` (the default). The creation is
    written to the access log: a token is a standing key to everything its owner may see."""
    if not verified:
        raise ValidationError(_("Sign in with your two-factor code before creating an API token."))
    if not (user and user.is_active):
        raise ValidationError(_("This account is deactivated."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you know later what it is for.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name can be at most 100 characters long.")})
    most = api_token_max_days()
    days = most if days is None else days
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= most:
        raise ValidationError(
            {"days": _("A token can live from 1 to %(most)d days.") % {"most": most}}
        )
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=_key_hash(key), prefix=key[:8],
            expires_at=clock.now() + timedelta(days=days),
        )
        history_record(actor=user, instance=token, action=ChangeRecord.Action.CREATE)
        access_log_write(user=user, what=AccessLogEntry.What.API_TOKEN_CREATED, request=request)
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> bool:
    """Revoke a token: the owner their own, an organisation administrator any of their organisation's
    people's (anyone else's token does not exist for them: 404). Returns False when it was already
    revoked (nothing written). Written to the history and the access log."""
    if token.user_id != actor.pk and not account_access.users_manageable_by(actor).filter(pk=token.user_id).exists():
        raise Http404
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            token.revoked_at = locked.revoked_at
            return False
        before = snapshot(locked)
        locked.revoked_at = clock.now()
        locked.save(update_fields=["revoked_at"])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before)
        access_log_write(user=actor, what=AccessLogEntry.What.API_TOKEN_REVOKED, request=request)
    token.revoked_at = locked.revoked_at
    return True


def api_token_authenticate(key: str) -> ApiToken:
    """The live token for a key, with its user; records its use. Raises ``ApiTokenRefused`` for an
    unknown, revoked or expired key, or a deactivated person or organisation."""
    if not key or not isinstance(key, str) or len(key) > 200:
        raise ApiTokenRefused(_("Invalid token."))
    token = ApiToken.objects.select_related("user", "user__organisation").filter(key_hash=_key_hash(key)).first()
    if token is None:
        raise ApiTokenRefused(_("Invalid token."))
    if token.revoked_at is not None:
        raise ApiTokenRefused(_("This token was revoked. Create a new one on the API tokens page."))
    now = clock.now()
    if token.expires_at <= now:
        raise ApiTokenRefused(_("This token has expired. Create a new one on the API tokens page."))
    user = token.user
    if not user.is_active or (user.organisation is not None and not user.organisation.is_active):
        raise ApiTokenRefused(_("This account or its organisation is deactivated."))
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        # A plain UPDATE, not a change record: usage is not a change to the token.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
