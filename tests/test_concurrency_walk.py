"""Nothing is silently overwritten: every edit form and every API update, walked with a stale version.

For each one the test opens the record as a user would (the form's hidden version, the API's
ETag), lets someone else save it through the service, then saves the user's change based on the
version they opened. The answer must be a conflict (409 on the pages; 412 with If-Match, 409 with
a ``version`` field, 428 with neither in the API) and the other person's change must still be
there. A route this test does not know fails it: whoever adds a page or an API write says here
whether it edits an existing record (and adds it to the walk) or why it cannot overwrite one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import get_resolver, reverse

from api.tests.conftest import token_client
from conftest import Personas, login
from livelihood.tests import concurrency as lw
from tests.test_url_walk import iter_patterns

# --- what is not an edit of an existing record, and why ---------------------------------------------------

READS = "shows, lists or downloads; writes nothing"
CREATES = "creates a new record; nothing existing to overwrite"
STATE = "a step of a workflow, refused unless the record is still in the state the user saw"
APPEND = "appends (a history entry, a new version of a record); the earlier record stays as it was"
ACCOUNT = "the signed-in person's own session, password or token"

NOT_EDITS: dict[str, str] = {
    **{name: READS for name in (
        "home", "cases:list", "cases:access_log", "cases:detail", "cases:identity", "cases:photo", "cases:history",
        "cases:case_access_log", "recovery:list", "recovery:detail", "plans:plan", "plans:revisions",
        "plans:revision", "care:work_queue", "care:deliveries", "reintegration:follow_ups",
        "reintegration:follow_up_detail", "partners:search", "partners:detail", "referrals:inbox",
        "referrals:detail", "referrals:htcds", "transfers:incoming", "transfers:transferred", "transfers:detail",
        "transfers:records", "interop:export", "monitoring:index", "monitoring:scopes", "monitoring:report_detail",
        "monitoring:report_pdf", "monitoring:report_xlsx", "monitoring:dashboard_organisation",
        "monitoring:download_organisation_csv", "monitoring:download_organisation_xlsx",
        "monitoring:reports_organisation", "monitoring:dashboard_region", "monitoring:download_region_csv",
        "monitoring:download_region_xlsx", "monitoring:reports_region", "monitoring:dashboard_national",
        "monitoring:download_national_csv", "monitoring:download_national_xlsx", "monitoring:reports_national",
        "releases:index", "releases:ledger", "releases:detail", "releases:download_csv", "releases:download_xlsx",
        "releases:report_csv", "releases:simfoni", "accounts:users", "accounts:organisations", "accounts:tokens",
        "accounts:organisation_tokens",
        "api-survivor-list", "api-survivor-detail", "api-instrument-list", "api-plan-revisions",
        "api-service-list", "api-case-clocks", "api-case-follow-ups", "api-partner-list", "api-partner-detail",
        "api-referral-list", "api-referral-detail", "api-referral-htcds", "api-transfers-incoming",
        "api-transfer-detail", "api-case-htcds", "api-monitoring-indicators", "api-monitoring-dashboard",
        "api-release-list", "api-release-budget", "api-release-dataset-check", "api-release-detail",
        "api-ctdc-reference", "api-simfoni", "api-schema",
        "privacy:linkage_list", "privacy:linkage_mine", "privacy:linkage_detail", "privacy:probing",
        "privacy:emergency_list", "privacy:emergency_detail", "api-linkage-list", "api-linkage-detail",
        "livelihood:case", "livelihood:refer", "livelihood:opportunities", "livelihood:opportunity",
        "livelihood:provider_enrolments", "livelihood:demand", "api-livelihood-suggestions",
    )},
    **{name: CREATES for name in (
        "privacy:emergency_open",
        "cases:register", "cases:guardian_new", "cases:consent_new", "recovery:start", "care:delivery_new",
        "care:application_new", "referrals:new", "transfers:propose", "interop:import", "releases:table_new",
        "releases:dataset", "accounts:user_create", "accounts:organisation_create",
        "accounts:organisation_admin_create", "api-case-list", "api-case-consents", "api-assessment-list",
        "api-case-deliveries", "api-case-applications", "api-case-referrals", "api-case-transfers",
        "api-htcds-import", "api-release-table", "api-release-dataset",
        "livelihood:choice", "livelihood:enrolment_new", "livelihood:placement_new", "livelihood:enterprise_new",
        "livelihood:income_new", "livelihood:opportunity_new", "livelihood:demand_import",
        "api-livelihood-choices", "api-livelihood-enrolments", "api-livelihood-placements", "api-livelihood-income",
        "api-opportunity-list",
    )},
    **{name: STATE for name in (
        "cases:alert_read", "cases:transition", "cases:consent_withdraw", "plans:submit", "plans:decide",
        "care:application_delete", "reintegration:close", "reintegration:reopen", "reintegration:follow_up_record",
        "reintegration:follow_up_missed", "referrals:accept", "referrals:decline", "referrals:start",
        "referrals:complete", "referrals:revoke", "transfers:accept", "transfers:decline", "transfers:cancel",
        "accounts:user_deactivate", "accounts:user_reactivate", "accounts:organisation_deactivate",
        "accounts:organisation_reactivate", "api-case-transition", "api-consent-withdraw", "api-plan-submit",
        "api-plan-approve", "api-plan-return", "api-case-close", "api-case-reopen", "api-follow-up-record",
        "api-referral-accept", "api-referral-decline", "api-referral-start", "api-referral-complete",
        "api-referral-revoke", "api-transfer-accept", "api-transfer-decline", "api-transfer-cancel",
        # A linkage request is decided once, while it is pending (privacy.services._decidable).
        "privacy:linkage_ignore", "privacy:linkage_referral", "privacy:linkage_transfer",
        # An emergency use is reviewed once, while pending (privacy.services.emergency_review).
        "privacy:emergency_review", "api-linkage-decide",
        "livelihood:check", "livelihood:enrolment_complete", "api-enrolment-complete",
    )},
    # A consent is amended by recording its next version; superseding one already superseded is refused.
    "cases:consent_amend": APPEND,
    "cases:team": APPEND,
    **{name: ACCOUNT for name in (
        "set_language", "accounts:login", "accounts:otp", "accounts:otp_setup", "accounts:logout",
        "accounts:password_change", "accounts:user_password_reset", "accounts:token_revoke",
        "accounts:organisation_token_revoke",
    )},
    # The legal room (legal/): stages, losses, evidence, claims, payments and steps are appended, a
    # payment is corrected by a new entry; only a proceeding and a hearing's companion are edited.
    **{name: READS for name in ("legal:overview", "legal:evidence", "legal:claim_pdf", "legal:payment_proof",
                                "api-case-legal")},
    **{name: CREATES for name in ("legal:proceeding_new", "legal:stage_new", "legal:hearing_new", "legal:party_new",
                                  "legal:lpsk_new", "legal:loss_new", "legal:losses_prefill", "legal:evidence_new", "legal:claim_new",
                                  "legal:order_new", "legal:payment_new", "legal:step_new", "api-case-legal-losses",
                                  "api-legal-order-payments", "api-case-legal-losses-prefill",
                                  "api-case-legal-proceedings", "api-legal-proceeding-stages", "api-legal-proceeding-parties",
                                  "api-legal-proceeding-hearings", "api-legal-proceeding-claims",
                                  "api-legal-proceeding-orders", "api-case-legal-lpsk")},
    **{name: STATE for name in ("legal:lpsk_decide", "legal:loss_withdraw", "api-legal-lpsk-decision")},
    "legal:payment_correct": APPEND,
    "api-legal-payment-corrections": APPEND,
    "api-legal-claim-pdf": READS,
}


# --- the records, opened and saved by someone else -----------------------------------------------------


@dataclass
class Record:
    """One editable record of the walk: who edits it, and how someone else saves it meanwhile."""

    actor: Callable[[Personas], Any]
    setup: Callable[[Personas], dict[str, Any]]  # objects the URLs need; runs first
    other_save: Callable[[Personas, dict[str, Any]], None]  # someone else's save, through the service
    saved: Callable[[Personas, dict[str, Any]], Any]  # what was saved, to check it is not overwritten
    expected: Any  # ``saved`` after the other person's save


def _nothing(p: Personas) -> dict[str, Any]:
    return {}


def _delivery(p: Personas) -> dict[str, Any]:
    from care.services import delivery_save

    return {"delivery": delivery_save(actor=p.a_caseworker, case=p.case_a, values={"outcome_note": "first"})}


def _assessment(p: Personas) -> dict[str, Any]:
    from recovery.instruments import instruments_load
    from recovery.models import Instrument
    from recovery.services import assessment_start

    if not Instrument.objects.filter(code="SHRS").exists():
        instruments_load()
    instrument = Instrument.objects.filter(code="SHRS").order_by("-version")[0]
    assessment = assessment_start(actor=p.a_caseworker, case=p.case_a, instrument=instrument, kind="baseline",
                                  assessed_on=dt.date(2026, 3, 10))
    return {"assessment": assessment}


def _identity_other(p: Personas, o: dict[str, Any]) -> None:
    from survivors.services import identity_update

    identity_update(actor=p.a_caseworker, case=p.case_a, values={"aliases": "theirs"})


def _identity_saved(p: Personas, o: dict[str, Any]) -> Any:
    from survivors.models import Identity

    return Identity.objects.get(survivor=p.case_a.survivor).aliases


def _intake_other(p: Personas, o: dict[str, Any]) -> None:
    from cases.services import case_intake_update

    case_intake_update(actor=p.a_supervisor, case=p.case_a, values={"intake_notes": "theirs"})


def _intake_saved(p: Personas, o: dict[str, Any]) -> Any:
    from cases.models import Case

    return Case.objects.get(pk=p.case_a.pk).intake_notes


def _delivery_other(p: Personas, o: dict[str, Any]) -> None:
    from care.services import delivery_save

    delivery_save(actor=p.a_caseworker, case=p.case_a, delivery=o["delivery"], values={"outcome_note": "theirs"})


def _delivery_saved(p: Personas, o: dict[str, Any]) -> Any:
    from care.models import ServiceDelivery

    found = ServiceDelivery.objects.filter(pk=o["delivery"].pk).first()
    return found.outcome_note if found else None


def _assessment_other(p: Personas, o: dict[str, Any]) -> None:
    from recovery.services import assessment_save_draft

    assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=o["assessment"], answers={1: 4})


def _assessment_saved(p: Personas, o: dict[str, Any]) -> Any:
    from recovery.models import Answer

    return sorted(Answer.objects.filter(assessment_id=o["assessment"].pk).values_list("item__number", "value"))


def _user_other(p: Personas, o: dict[str, Any]) -> None:
    from accounts.services import user_update

    user_update(actor=p.a_admin, user=p.a_health, first_name="Theirs", last_name="", email="",
                roles=sorted(p.a_health.role_set()))


def _user_saved(p: Personas, o: dict[str, Any]) -> Any:
    from accounts.models import User

    return User.objects.get(pk=p.a_health.pk).first_name


def _organisation_other(p: Personas, o: dict[str, Any]) -> None:
    from accounts.services import organisation_update

    organisation_update(actor=p.platform, organisation=p.org_c, name="Theirs", kind=p.org_c.kind,
                        region_code=p.org_c.region_id)


def _organisation_saved(p: Personas, o: dict[str, Any]) -> Any:
    from accounts.models import Organisation

    return Organisation.objects.get(pk=p.org_c.pk).name


def _profile_other(p: Personas, o: dict[str, Any]) -> None:
    from partners.services import profile_save

    profile_save(actor=p.a_admin, values={"description": "theirs"})


def _profile_saved(p: Personas, o: dict[str, Any]) -> Any:
    from partners.models import PartnerProfile

    return PartnerProfile.objects.get(organisation=p.org_a).description


def _phase_other(p: Personas, o: dict[str, Any]) -> None:
    from plans.services import phase_change

    phase_change(actor=p.a_caseworker, case=p.case_a, phase="recovery", reason="theirs")


def _phase_saved(p: Personas, o: dict[str, Any]) -> Any:
    from plans.models import PhaseChange

    return list(PhaseChange.objects.filter(case=p.case_a).values_list("phase", "reason"))


def _services_other(p: Personas, o: dict[str, Any]) -> None:
    from care.services import organisation_services_set

    organisation_services_set(actor=p.a_admin, service_codes=["legal_aid"])


def _services_saved(p: Personas, o: dict[str, Any]) -> Any:
    from care.services import services_provided_by

    return sorted(s.code for s in services_provided_by(p.org_a.pk))


def _plan_other(p: Personas, o: dict[str, Any]) -> None:
    from plans.services import PlanInput, plan_save

    plan_save(actor=p.a_caseworker, case=p.case_a, version=0, data=PlanInput(priorities="theirs"))


def _plan_saved(p: Personas, o: dict[str, Any]) -> Any:
    from plans.models import Plan

    return Plan.objects.get(case=p.case_a).priorities


def _proceeding(p: Personas) -> dict[str, Any]:
    from legal.services import proceeding_open

    return {"proceeding": proceeding_open(actor=p.a_legal, case=p.case_a, values={"title": "first"})}


def _proceeding_other(p: Personas, o: dict[str, Any]) -> None:
    from legal.services import proceeding_update

    proceeding_update(actor=p.a_caseworker, proceeding=o["proceeding"], values={"title": "theirs"}, version=None)


def _proceeding_saved(p: Personas, o: dict[str, Any]) -> Any:
    from legal.models import Proceeding

    return Proceeding.objects.get(pk=o["proceeding"].pk).title


def _hearing(p: Personas) -> dict[str, Any]:
    from legal.services import hearing_schedule

    proceeding = _proceeding(p)["proceeding"]
    return {"hearing": hearing_schedule(actor=p.a_legal, proceeding=proceeding, place="PN Kupang",
                                        at=dt.datetime(2026, 3, 20, 1, 0, tzinfo=dt.UTC))}


def _hearing_other(p: Personas, o: dict[str, Any]) -> None:
    from legal.services import hearing_companion_assign

    hearing_companion_assign(actor=p.a_caseworker, hearing=o["hearing"], companion_user=None, companion_name="theirs",
                             version=None)


def _hearing_saved(p: Personas, o: dict[str, Any]) -> Any:
    from legal.models import Hearing

    return Hearing.objects.get(pk=o["hearing"].pk).companion_name


RECORDS: dict[str, Record] = {
    "intake": Record(lambda p: p.a_caseworker, _nothing, _intake_other, _intake_saved, "theirs"),
    "identity": Record(lambda p: p.a_caseworker, _nothing, _identity_other, _identity_saved, "theirs"),
    "delivery": Record(lambda p: p.a_caseworker, _delivery, _delivery_other, _delivery_saved, "theirs"),
    "assessment": Record(lambda p: p.a_caseworker, _assessment, _assessment_other, _assessment_saved, [(1, 4)]),
    "user": Record(lambda p: p.a_admin, _nothing, _user_other, _user_saved, "Theirs"),
    "organisation": Record(lambda p: p.platform, _nothing, _organisation_other, _organisation_saved, "Theirs"),
    "profile": Record(lambda p: p.a_admin, _nothing, _profile_other, _profile_saved, "theirs"),
    "phase": Record(lambda p: p.a_psychologist, _nothing, _phase_other, _phase_saved, [("recovery", "theirs")]),
    "plan": Record(lambda p: p.a_caseworker, _nothing, _plan_other, _plan_saved, "theirs"),
    "services": Record(lambda p: p.a_admin, _nothing, _services_other, _services_saved, ["legal_aid"]),
    "economic_profile": Record(lambda p: p.a_caseworker, _nothing, lw.profile_other, lw.profile_saved, "theirs"),
    "opportunity": Record(lambda p: p.a_livelihood, lw.opportunity, lw.opportunity_other, lw.opportunity_saved,
                          "theirs"),
    "proceeding": Record(lambda p: p.a_legal, _proceeding, _proceeding_other, _proceeding_saved, "theirs"),
    "hearing": Record(lambda p: p.a_legal, _hearing, _hearing_other, _hearing_saved, "theirs"),
}


# --- the pages ---------------------------------------------------------------------------------------------


@dataclass
class PageEdit:
    record: str
    url: Callable[[Personas, dict[str, Any]], str]
    typed: dict[str, Any]  # what the user changes in the form they opened
    expected_status: int = 409  # a stale delete is refused with a message (redirect), never done


def _case_url(name: str) -> Callable[[Personas, dict[str, Any]], str]:
    return lambda p, o: reverse(name, kwargs={"case_id": p.case_a.pk})


PAGE_EDITS: dict[str, PageEdit] = {
    "cases:intake": PageEdit("intake", _case_url("cases:intake"), {"intake_notes": "mine"}),
    "cases:identity_edit": PageEdit("identity", _case_url("cases:identity_edit"), {"aliases": "mine"}),
    "care:delivery_edit": PageEdit("delivery", lambda p, o: reverse("care:delivery_edit", kwargs={
        "case_id": p.case_a.pk, "delivery_id": o["delivery"].pk}), {"outcome_note": "mine", "action": "draft"}),
    "care:delivery_edit discard": PageEdit("delivery", lambda p, o: reverse("care:delivery_edit", kwargs={
        "case_id": p.case_a.pk, "delivery_id": o["delivery"].pk}), {"action": "discard"}, expected_status=302),
    "recovery:fill": PageEdit("assessment", lambda p, o: reverse("recovery:fill", kwargs={
        "case_id": p.case_a.pk, "assessment_id": o["assessment"].pk}), {"item_1": "1", "action": "save"}),
    "recovery:discard": PageEdit("assessment", lambda p, o: reverse("recovery:discard", kwargs={
        "case_id": p.case_a.pk, "assessment_id": o["assessment"].pk}), {}, expected_status=302),
    "accounts:user_edit": PageEdit("user", lambda p, o: reverse("accounts:user_edit", kwargs={
        "user_id": p.a_health.pk}), {"first_name": "Mine"}),
    "accounts:organisation_edit": PageEdit("organisation", lambda p, o: reverse("accounts:organisation_edit", kwargs={
        "org_id": p.org_c.pk}), {"name": "Mine"}),
    "partners:edit": PageEdit("profile", lambda p, o: reverse("partners:edit"), {"description": "mine"}),
    "care:organisation_services": PageEdit("services", lambda p, o: reverse("care:organisation_services"),
                                           {"services": ["medical_care"]}),
    "plans:phase": PageEdit("phase", _case_url("plans:phase"), {"phase": "safety_stabilisation", "reason": "mine"}),
    "plans:edit": PageEdit("plan", _case_url("plans:edit"), {"priorities": "mine", "goal_count": "0"}),
    "livelihood:profile": PageEdit("economic_profile", _case_url("livelihood:profile"), lw.PROFILE_ROWS),
    "livelihood:opportunity_edit": PageEdit("opportunity", lambda p, o: reverse(
        "livelihood:opportunity_edit", kwargs={"opportunity_id": o["opportunity"].pk}), {"title": "mine"}),
    "legal:proceeding_edit": PageEdit("proceeding", lambda p, o: reverse("legal:proceeding_edit", kwargs={
        "case_id": p.case_a.pk, "proceeding_id": o["proceeding"].pk}), {"title": "mine"}),
    "legal:hearing_companion": PageEdit("hearing", lambda p, o: reverse("legal:hearing_companion", kwargs={
        "case_id": p.case_a.pk, "hearing_id": o["hearing"].pk}), {"companion_name": "mine"}),
}

# Where the discard button of a draft is: on the draft's form.
OPENED_FROM: dict[str, Callable[[Personas, dict[str, Any]], str]] = {
    "recovery:discard": lambda p, o: reverse("recovery:fill", kwargs={
        "case_id": p.case_a.pk, "assessment_id": o["assessment"].pk}),
}


def _form_data(response: Any) -> dict[str, Any]:
    """The values of the form the user opened, as the browser would send them back."""
    form = response.context.get("form") if response.context else None
    if form is None:  # the plan editor carries its own forms; its version is in the page
        version = re.search(r'name="version" value="(\d*)"', response.content.decode())
        return {"version": version.group(1) if version else ""}
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.FileField) or value is None or value is False:
            continue
        data[bound.html_name] = "on" if value is True else value
    return data


def _walk_page(name: str, p: Personas) -> None:
    edit = PAGE_EDITS[name]
    record = RECORDS[edit.record]
    objects = record.setup(p)
    client = login(Client(), record.actor(p))
    url = edit.url(p, objects)
    opened = client.get(OPENED_FROM.get(name, edit.url)(p, objects))
    assert opened.status_code == 200, name
    if name in OPENED_FROM:
        version = re.search(r'name="version" value="(\d+)"', opened.content.decode())
        assert version is not None, f"{name}: the page does not carry the record's version"
        data: dict[str, Any] = {"version": version.group(1)}
    else:
        data = _form_data(opened)
        assert "version" in data and str(data["version"]).isdigit(), f"{name}: the form carries no version"
    record.other_save(p, objects)
    response = client.post(url, {**data, **edit.typed})
    assert response.status_code == edit.expected_status, f"{name}: {response.status_code}, not a conflict"
    assert record.saved(p, objects) == record.expected, f"{name}: the other person's save was overwritten"
    if edit.expected_status == 409:
        html = response.content.decode()
        assert "data-conflict" in html or 'id="conflict-h"' in html, f"{name}: the difference is not shown"


# --- the API ------------------------------------------------------------------------------------------------


@dataclass
class ApiEdit:
    record: str
    method: str
    url: Callable[[Personas, dict[str, Any]], str]
    read_url: Callable[[Personas, dict[str, Any]], str] | None  # the GET whose ETag the client holds
    body: dict[str, Any]


def _api_case(suffix: str) -> Callable[[Personas, dict[str, Any]], str]:
    return lambda p, o: f"/api/v1/cases/{p.case_a.pk}/{suffix}"


def _api_assessment(suffix: str = "") -> Callable[[Personas, dict[str, Any]], str]:
    return lambda p, o: f"/api/v1/cases/{p.case_a.pk}/assessments/{o['assessment'].pk}/{suffix}"


API_EDITS: dict[tuple[str, str], ApiEdit] = {
    ("api-case-detail", "patch"): ApiEdit("intake", "patch", _api_case(""), None, {"intake_notes": "mine"}),
    ("api-case-identity", "patch"): ApiEdit("identity", "patch", _api_case("identity/"), None, {"aliases": "mine"}),
    ("api-case-delivery-detail", "patch"): ApiEdit(
        "delivery", "patch", lambda p, o: f"/api/v1/cases/{p.case_a.pk}/deliveries/{o['delivery'].pk}/", None,
        {"outcome_note": "mine"}),
    ("api-assessment-detail", "patch"): ApiEdit("assessment", "patch", _api_assessment(), None,
                                                {"answers": {"1": 1}}),
    ("api-assessment-detail", "delete"): ApiEdit("assessment", "delete", _api_assessment(), None, {}),
    ("api-assessment-complete", "post"): ApiEdit("assessment", "post", _api_assessment("complete/"),
                                                 _api_assessment(), {"answers": {"1": 1}}),
    ("api-partner-mine", "patch"): ApiEdit("profile", "patch", lambda p, o: "/api/v1/partners/mine/", None,
                                           {"description": "mine"}),
    ("api-case-phase", "post"): ApiEdit("phase", "post", _api_case("phase/"), None,
                                        {"phase": "safety_stabilisation", "reason": "mine"}),
    ("api-case-plan", "put"): ApiEdit("plan", "put", _api_case("plan/"), None, {"priorities": "mine", "goals": []}),
    ("api-livelihood-profile", "put"): ApiEdit("economic_profile", "put", _api_case("livelihood/profile/"), None,
                                               {"languages": "mine"}),
    ("api-legal-proceeding-detail", "patch"): ApiEdit(
        "proceeding", "patch", lambda p, o: f"/api/v1/cases/{p.case_a.pk}/legal/proceedings/{o['proceeding'].pk}/",
        None, {"title": "mine"}),
    ("api-legal-hearing-detail", "patch"): ApiEdit(
        "hearing", "patch", lambda p, o: f"/api/v1/cases/{p.case_a.pk}/legal/hearings/{o['hearing'].pk}/", None,
        {"companion_name": "mine"}),
    ("api-opportunity-detail", "patch"): ApiEdit(
        "opportunity", "patch", lambda p, o: f"/api/v1/livelihood/opportunities/{o['opportunity'].pk}/", None,
        {"title": "mine"}),
}


def _walk_api(key: tuple[str, str], p: Personas) -> None:
    edit = API_EDITS[key]
    record = RECORDS[edit.record]
    objects = record.setup(p)
    client = token_client(record.actor(p))
    url = edit.url(p, objects)
    read = client.get((edit.read_url or edit.url)(p, objects))
    assert read.status_code == 200, key
    etag = read["ETag"]
    assert re.fullmatch(r'"\d+"', etag), f"{key}: the GET sends no ETag"
    record.other_save(p, objects)
    send = getattr(client, edit.method)

    neither = send(url, edit.body, format="json")
    assert neither.status_code == 428, f"{key}: an update without a version gave {neither.status_code}"
    by_header = send(url, edit.body, format="json", HTTP_IF_MATCH=etag)
    assert by_header.status_code == 412, f"{key}: a stale If-Match gave {by_header.status_code}"
    assert by_header.json()["version"] == int(by_header["ETag"].strip('"')) != int(etag.strip('"'))
    by_body = send(url, {**edit.body, "version": int(etag.strip('"'))}, format="json")
    assert by_body.status_code == 409, f"{key}: a stale version field gave {by_body.status_code}"
    assert record.saved(p, objects) == record.expected, f"{key}: the other person's save was overwritten"


# --- the tests ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _march(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC), tick=False)


def _routes() -> tuple[set[str], set[tuple[str, str]]]:
    pages: set[str] = set()
    api_writes: set[tuple[str, str]] = set()
    for name, pattern in iter_patterns(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "cls", None)
        if name.startswith("api") and view_class is not None:
            api_writes |= {(name, m) for m in ("post", "put", "patch", "delete") if hasattr(view_class, m)}
            if not any(hasattr(view_class, m) for m in ("post", "put", "patch", "delete")):
                pages.add(name)  # read-only API routes are checked by name like the pages
        else:
            pages.add(name)
    return pages, api_writes


def test_every_route_is_walked_or_says_why_it_cannot_overwrite() -> None:
    pages, api_writes = _routes()
    page_edits = {name.split(" ")[0] for name in PAGE_EDITS}
    unknown_pages = sorted(pages - page_edits - set(NOT_EDITS))
    assert not unknown_pages, f"new routes: add them to PAGE_EDITS or NOT_EDITS: {unknown_pages}"
    unknown_api = sorted(k for k in api_writes - set(API_EDITS) if k[0] not in NOT_EDITS)
    assert not unknown_api, f"new API writes: add them to API_EDITS or NOT_EDITS: {unknown_api}"
    assert not page_edits & set(NOT_EDITS) and not {k[0] for k in API_EDITS} & set(NOT_EDITS)
    gone = sorted((page_edits - pages) | {f"{k[0]} {k[1]}" for k in set(API_EDITS) - api_writes})
    assert not gone, f"walked routes that no longer exist: {gone}"


@pytest.mark.parametrize("name", sorted(PAGE_EDITS))
def test_a_stale_form_is_refused_and_overwrites_nothing(name: str, personas: Personas) -> None:
    _walk_page(name, personas)


@pytest.mark.parametrize("key", sorted(API_EDITS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_a_stale_api_update_is_refused_and_overwrites_nothing(key: tuple[str, str], personas: Personas) -> None:
    _walk_api(key, personas)
