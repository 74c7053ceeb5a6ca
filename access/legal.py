"""Who sees and changes the legal room's data (criminal-proceedings data: specific personal data,
UU 27/2022 Pasal 4; docs/legal.md).

- **View** a case's legal data: the case team (whatever their role) and the lead organisation's
  legal officers. Supervisors who are not on the team do not (as for the survivor's identity):
  they are alerted to overdue legal deadlines in the work queue, which links to the case file.
- **Record** legal data: team caseworkers and legal officers on the team, and the lead
  organisation's legal officers (caseworkers record losses from intake on).
- **Suspects' and perpetrators' identity**: the lead organisation's legal officers only, and every
  showing is logged.
- Anything else answers 404 (``legal_case_get_for_user``), never 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from cases.models import Case, CaseTeamMember

from . import policy


class LegalAction:
    VIEW = "legal_view"
    EDIT = "legal_edit"
    VIEW_PARTIES = "legal_view_parties"


def is_legal_officer_of(user: Any, case: Case) -> bool:
    return bool(user.has_role(Role.LEGAL_OFFICER) and user.organisation_id == case.lead_organisation_id)


def legal_can(user: Any, action: str, case: Case) -> bool:
    if not policy.may_work_on_cases(user) or user.organisation_id != case.lead_organisation_id:
        return False
    officer = is_legal_officer_of(user, case)
    if action == LegalAction.VIEW:
        return officer or policy.is_on_team(user, case)
    if action == LegalAction.EDIT:
        return officer or (policy.is_on_team(user, case) and user.has_role(Role.CASEWORKER))
    if action == LegalAction.VIEW_PARTIES:
        return officer
    raise ValueError(f"unknown legal action {action!r}")


def legal_cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases whose legal data the user may see: one query, whatever the caseload."""
    if not policy.may_work_on_cases(user):
        return Case.objects.none()
    qs = Case.objects.filter(lead_organisation_id=user.organisation_id)
    if user.has_role(Role.LEGAL_OFFICER):
        return qs
    on_team = CaseTeamMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    return qs.filter(Q(lead_caseworker_id=user.pk) | Exists(on_team))


def legal_case_get_for_user(user: Any, case_id: Any, action: str = LegalAction.VIEW) -> Case:
    """The case, if the user may do ``action`` to its legal data; otherwise 404."""
    try:
        case = (
            Case.objects.select_related("survivor", "lead_organisation", "lead_caseworker")
            .filter(lead_organisation_id=getattr(user, "organisation_id", None))
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if not legal_can(user, action, case):
        raise Http404
    return case
