"""What the page frame needs: which menu entries this user has."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import policy
from accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav": {}}
    return {
        "nav": {
            "cases": policy.may_work_on_cases(user),
            "work_queue": policy.may_work_on_cases(user),
            "register": policy.may_register_survivor(user),
            "access_log": user.has_role(Role.SUPERVISOR),
            "transfers": policy.may_work_on_cases(user) and user.has_role(Role.SUPERVISOR),
            "users": user.has_role(Role.ORG_ADMIN),
            "organisations": policy.may_manage_organisations(user),
        }
    }
