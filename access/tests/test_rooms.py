"""The rules of the rooms without models of their own in them: recovery, care, partners, accounts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.http import Http404

from access import accounts as account_access
from access import care as care_access
from access import partners as partner_access
from access import recovery as recovery_access
from cases.models import CaseTeamMember
from conftest import Personas

SCREENING = SimpleNamespace(kind="screening")
HOLISTIC = SimpleNamespace(kind="holistic")


def test_who_may_record_and_see_assessments(personas: Personas) -> None:
    p = personas
    CaseTeamMember.objects.create(case=p.case_a, user=p.a_legal)
    assert recovery_access.may_record(p.a_legal, p.case_a, HOLISTIC)
    assert not recovery_access.may_record(p.a_legal, p.case_a, SCREENING)  # team, but not a screening role
    assert recovery_access.may_record(p.a_psychologist, p.case_a, SCREENING)
    assert recovery_access.may_record(p.a_caseworker, p.case_a, SCREENING)
    assert recovery_access.may_record(p.a_supervisor, p.case_a, HOLISTIC)
    assert not recovery_access.may_record(p.a_supervisor, p.case_a, SCREENING)  # not on the team
    assert recovery_access.may_see_content(p.a_supervisor, p.case_a, HOLISTIC)
    assert not recovery_access.may_see_content(p.a_supervisor, p.case_a, SCREENING)
    assert recovery_access.may_see_content(p.a_psychologist, p.case_a, SCREENING)
    for outsider in (p.a_caseworker2, p.a_livelihood, p.a_me, p.b_supervisor, p.outsider):
        assert not recovery_access.may_record_any(outsider, p.case_a)
        assert not recovery_access.may_see_content(outsider, p.case_a, HOLISTIC)


def test_drafts_are_continued_by_their_author_and_discarded_by_a_supervisor_too(personas: Personas) -> None:
    p = personas
    draft = SimpleNamespace(is_draft=True, recorded_by_id=p.a_psychologist.pk, instrument=SCREENING)
    assert recovery_access.may_continue(p.a_psychologist, p.case_a, draft)
    assert not recovery_access.may_continue(p.a_caseworker, p.case_a, draft)
    assert recovery_access.may_discard(p.a_supervisor, p.case_a, draft)
    assert not recovery_access.may_discard(p.a_caseworker, p.case_a, draft)
    done = SimpleNamespace(is_draft=False, recorded_by_id=p.a_psychologist.pk, instrument=SCREENING)
    assert not recovery_access.may_continue(p.a_psychologist, p.case_a, done)
    assert not recovery_access.may_discard(p.a_supervisor, p.case_a, done)


def test_care_and_partners(personas: Personas) -> None:
    p = personas
    assert care_access.may_record(p.a_psychologist, p.case_a) and care_access.may_record(p.a_supervisor, p.case_a)
    assert not care_access.may_record(p.a_health, p.case_a) and not care_access.may_record(p.b_supervisor, p.case_a)
    assert care_access.may_manage_services(p.a_admin)
    assert not any(care_access.may_manage_services(u) for u in (p.a_supervisor, p.a_caseworker, p.platform))
    assert partner_access.may_edit_profile(p.a_admin) and partner_access.may_edit_profile(p.a_supervisor)
    assert not partner_access.may_edit_profile(p.a_caseworker)
    assert partner_access.may_search(p.a_caseworker) and partner_access.may_search(p.a_admin)
    assert not partner_access.may_search(p.a_me) and not partner_access.may_search(p.platform)


def test_administration(personas: Personas) -> None:
    p = personas
    assert set(account_access.users_manageable_by(p.a_admin)) == {u for u in p.users.values()
                                                                    if u.organisation_id == p.org_a.pk}
    assert not account_access.users_manageable_by(p.a_supervisor).exists()
    assert not account_access.users_manageable_by(p.platform).exists()
    assert account_access.user_get_for_admin(p.a_admin, p.a_caseworker.pk) == p.a_caseworker
    for other in (p.b_caseworker.pk, "x", None, 10**9):
        with pytest.raises(Http404):
            account_access.user_get_for_admin(p.a_admin, other)
    assert account_access.may_manage_organisations(p.platform)
    assert not account_access.may_manage_organisations(p.a_admin)
    assert account_access.organisations_manageable_by(p.platform).count() == 3
    assert not account_access.organisations_manageable_by(p.a_admin).exists()
    assert account_access.holds_admin_role(p.a_admin) and not account_access.holds_admin_role(p.a_supervisor)
    assert account_access.shows_access_log_menu(p.a_supervisor)
    assert not account_access.shows_access_log_menu(p.a_caseworker)
