"""Reads of the accounts room that depend on who asks. Whose people an administrator manages is
decided by the one access policy (``access.accounts.users_manageable_by``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from access import accounts as account_access

from .models import ApiToken


def api_tokens_of_user(user: Any) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def api_token_get_for_user(user: Any, token_id: Any) -> ApiToken:
    """The person's own token, or 404."""
    try:
        return api_tokens_of_user(user).get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def api_tokens_of_organisation(admin: Any) -> QuerySet[ApiToken]:
    """Every token of the people an organisation administrator manages (none for anyone else)."""
    return (
        ApiToken.objects.filter(user__in=account_access.users_manageable_by(admin))
        .select_related("user")
        .order_by("-created_at", "-pk")
    )


def api_token_get_for_admin(admin: Any, token_id: Any) -> ApiToken:
    """A token of the administrator's organisation, or 404 (another organisation's does not exist)."""
    try:
        return api_tokens_of_organisation(admin).get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
