"""Reads about services. Callers fetch the case through the access policy first
(``access.policy.case_get_for_user``); these functions then read only that case's objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case as When_
from django.db.models import F, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import get_language

from .models import Service, ServiceApplication, ServiceDelivery


def deliveries_for_case(case: Any) -> QuerySet[ServiceDelivery]:
    """The case's deliveries, drafts first, then newest first, with what a list shows."""
    return (
        ServiceDelivery.objects.filter(case_id=case.pk)
        .select_related("service", "delivered_by", "place_region", "case__lead_organisation")
        .order_by(
            When_(When(status=ServiceDelivery.Status.DRAFT, then=Value(0)), default=Value(1)),
            F("delivered_on").desc(nulls_first=True), "-created_at",
        )
    )


def delivery_get_for_case(case: Any, delivery_id: Any) -> ServiceDelivery:
    """One delivery of this case, or 404 (another case's delivery is never found)."""
    try:
        return ServiceDelivery.objects.select_related("service", "delivered_by", "place_region", "case__lead_organisation").get(
            pk=delivery_id, case_id=case.pk)
    except (ServiceDelivery.DoesNotExist, ValueError, TypeError, ValidationError) as exc:  # incl. a malformed UUID
        raise Http404 from exc


def application_get_for_case(case: Any, application_id: Any) -> ServiceApplication:
    try:
        return ServiceApplication.objects.get(pk=application_id, case_id=case.pk)
    except (ServiceApplication.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def applications_for_case(case: Any) -> QuerySet[ServiceApplication]:
    return ServiceApplication.objects.filter(case_id=case.pk).select_related("recorded_by")


def delivery_markers(user: Any, case: Any) -> list[tuple[dt.date, str]]:
    """Date and service name of each recorded delivery, oldest first, for the trajectory chart
    (one query). The caller has checked that the user may see the case; whoever sees the case
    sees its deliveries, so ``user`` is not needed here."""
    case_id = case.pk
    name_field = "service__name_en" if (get_language() or "id").startswith("en") else "service__name_id"
    rows = (
        ServiceDelivery.objects.filter(case_id=case_id, status=ServiceDelivery.Status.RECORDED)
        .order_by("delivered_on", "created_at")
        .values_list("delivered_on", name_field)
    )
    return [(day, name) for day, name in rows]


def catalogue() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True).order_by("sort_order", "code")
