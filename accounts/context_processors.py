"""What the page frame needs: which menu entries this user has."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import accounts as account_access
from access import policy


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav": {}}
    return {
        "nav": {
            "cases": policy.may_work_on_cases(user),
            "work_queue": policy.may_work_on_cases(user),
            "register": policy.may_register_survivor(user),
            "access_log": account_access.shows_access_log_menu(user),
            "transfers": policy.is_supervisor(user),
            "users": account_access.holds_admin_role(user),
            "organisations": account_access.may_manage_organisations(user),
        }
    }
