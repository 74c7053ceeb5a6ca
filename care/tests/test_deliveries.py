from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import ChangeRecord
from care.models import OrganisationService, ServiceApplication, ServiceDelivery
from care.services import application_record, delivery_discard, delivery_save, organisation_services_set
from cases.models import Case
from conftest import login

from .conftest import provide


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_refused_for_a_service_the_organisation_does_not_provide(personas: Any, set_now: Any) -> None:
    provide(personas.org_a, "psychological_support")
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=personas.a_caseworker, case=personas.case_a, complete=True,
                      values={"service": "legal_aid", "delivered_on": dt.date(2026, 3, 4)})
    assert "does not provide" in _errors(exc)["service"][0]
    # Not even as a draft: a draft never holds what could not be recorded.
    with pytest.raises(ValidationError):
        delivery_save(actor=personas.a_caseworker, case=personas.case_a, values={"service": "legal_aid"})
    assert not ServiceDelivery.objects.exists()


def test_refused_before_identification_in_the_future_and_negative_duration(providing: Any, set_now: Any) -> None:
    p = providing
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
            "service": "medical_care", "delivered_on": dt.date(2026, 3, 1), "duration_minutes": -5})
    errors = _errors(exc)
    assert "before the case was identified" in errors["delivered_on"][0]
    assert "negative" in errors["duration_minutes"][0]
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
            "service": "medical_care", "delivered_on": dt.date(2026, 3, 6)})
    assert "future" in _errors(exc)["delivered_on"][0]
    # Today in Kupang (WITA) is 5 March at 11:00: 12:00 today is still in the future.
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
            "service": "medical_care", "delivered_on": dt.date(2026, 3, 5), "delivered_time": dt.time(12, 0)})
    assert "future" in _errors(exc)["delivered_time"][0]
    assert not ServiceDelivery.objects.exists()
    assert not ChangeRecord.objects.filter(model="care.servicedelivery").exists()


def test_a_draft_is_saved_with_partial_data_and_completed_later(providing: Any, set_now: Any) -> None:
    p = providing
    draft = delivery_save(actor=p.a_psychologist, case=p.case_a, values={"outcome_note": "Sesi pertama, belum selesai"})
    assert draft.status == ServiceDelivery.Status.DRAFT and draft.service is None and draft.recorded_at is None
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=p.a_psychologist, case=p.case_a, delivery=draft, values={}, complete=True)
    assert set(_errors(exc)) == {"service", "delivered_on"}
    draft.refresh_from_db()
    assert draft.status == ServiceDelivery.Status.DRAFT
    done = delivery_save(actor=p.a_psychologist, case=p.case_a, delivery=draft, complete=True, values={
        "service": "psychological_support", "delivered_on": dt.date(2026, 3, 4), "duration_minutes": 60,
        "place": "RPTC", "place_region": "53.71"})
    done.refresh_from_db()
    assert done.status == ServiceDelivery.Status.RECORDED and done.outcome_note == "Sesi pertama, belum selesai"
    assert done.recorded_at is not None and done.delivered_by == p.a_psychologist
    assert ChangeRecord.objects.filter(model="care.servicedelivery", object_id=str(done.pk)).count() == 2
    # A recorded delivery may be corrected but never goes back to draft.
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=p.a_psychologist, case=p.case_a, delivery=done, values={"duration_minutes": 45})
    assert "status" in _errors(exc)
    delivery_save(actor=p.a_psychologist, case=p.case_a, delivery=done, values={"duration_minutes": 45}, complete=True)
    with pytest.raises(ValidationError):
        delivery_discard(actor=p.a_psychologist, case=p.case_a, delivery=done)


def test_only_the_case_team_and_supervisors_record(providing: Any, set_now: Any) -> None:
    p = providing
    values = {"service": "medical_care", "delivered_on": dt.date(2026, 3, 4)}
    for outsider in (p.a_caseworker2, p.a_me, p.a_admin, p.b_supervisor):
        with pytest.raises(ValidationError):
            delivery_save(actor=outsider, case=p.case_a, values=values, complete=True)
    delivery_save(actor=p.a_supervisor, case=p.case_a, values=values, complete=True)
    # delivered_by must be a member of the case team
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=p.a_caseworker, case=p.case_a, values={**values, "delivered_by": p.a_caseworker2.pk},
                      complete=True)
    assert "delivered_by" in _errors(exc)


def test_a_closed_case_takes_no_new_deliveries_or_applications(providing: Any, set_now: Any) -> None:
    p = providing
    Case.objects.filter(pk=p.case_a.pk).update(status="closed")
    p.case_a.refresh_from_db()
    with pytest.raises(ValidationError):
        delivery_save(actor=p.a_caseworker, case=p.case_a, values={})
    with pytest.raises(ValidationError):
        application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3),
                           applicant_kind="victim")


def test_application_checks_its_date_and_applicant(providing: Any, set_now: Any) -> None:
    p = providing
    with pytest.raises(ValidationError) as exc:
        application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 9), applicant_kind="boss")
    assert set(_errors(exc)) == {"applied_on", "applicant_kind"}
    app = application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3),
                             applicant_kind="family")
    assert ServiceApplication.objects.get() == app


def test_organisation_admin_sets_the_services_of_their_own_organisation(personas: Any) -> None:
    rows = organisation_services_set(actor=personas.a_admin, service_codes=["legal_aid", "medical_care"])
    assert {r.service.code for r in rows} == {"legal_aid", "medical_care"}
    organisation_services_set(actor=personas.a_admin, service_codes=["medical_care"])
    assert list(OrganisationService.objects.values_list("organisation_id", "service__code")) == [
        (personas.org_a.pk, "medical_care")]
    for not_admin in (personas.a_supervisor, personas.a_caseworker, personas.platform):
        with pytest.raises(ValidationError):
            organisation_services_set(actor=not_admin, service_codes=["legal_aid"])
    with pytest.raises(ValidationError):
        organisation_services_set(actor=personas.a_admin, service_codes=["no_such_service"])


# --- pages -----------------------------------------------------------------------------------------------


def test_record_a_draft_then_complete_it_on_the_pages(providing: Any, set_now: Any) -> None:
    p = providing
    client = login(Client(), p.a_caseworker)
    new = reverse("care:delivery_new", kwargs={"case_id": p.case_a.pk})
    page = client.get(new)
    assert page.status_code == 200 and b"data-keep" in page.content
    response = client.post(new, {"action": "draft", "outcome_note": "Catatan awal", "delivered_by": p.a_caseworker.pk})
    assert response.status_code == 302
    draft = ServiceDelivery.objects.get()
    assert draft.is_draft
    edit = reverse("care:delivery_edit", kwargs={"case_id": p.case_a.pk, "delivery_id": draft.pk})
    response = client.post(edit, {"action": "record", "service": "medical_care", "delivered_on": "2026-03-10",
                                  "delivered_by": p.a_caseworker.pk, "outcome_note": "Catatan awal", "version": 1})
    assert response.status_code == 200  # refused: the date is in the future; the form keeps the input
    assert "Catatan awal" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft and draft.service is None
    response = client.post(edit, {"action": "record", "service": "medical_care", "delivered_on": "2026-03-04",
                                  "delivered_by": p.a_caseworker.pk, "duration_minutes": "30", "version": 1})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.duration_minutes == 30
    edit_page = client.get(edit)
    assert edit_page.status_code == 200 and 'value="record"' in edit_page.content.decode()
    assert 'value="draft"' not in edit_page.content.decode()  # a recorded delivery stays recorded
    listing = client.get(reverse("care:deliveries", kwargs={"case_id": p.case_a.pk}))
    assert listing.status_code == 200


def test_application_page_and_organisation_services_page(personas: Any, set_now: Any) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)
    url = reverse("care:application_new", kwargs={"case_id": p.case_a.pk})
    assert client.post(url, {"applied_on": "2026-03-03", "applicant_kind": "police"}).status_code == 302
    app = ServiceApplication.objects.get()
    client.post(reverse("care:application_delete", kwargs={"case_id": p.case_a.pk, "application_id": app.pk}))
    assert not ServiceApplication.objects.exists()

    services_url = reverse("care:organisation_services")
    assert client.get(services_url).status_code == 404  # caseworkers do not manage the list
    admin = login(Client(), p.a_admin)
    assert admin.get(services_url).status_code == 200
    assert admin.post(services_url, {"services": ["legal_aid", "repatriation"], "version": "1"}).status_code == 302
    assert set(OrganisationService.objects.filter(organisation=p.org_a).values_list("service__code", flat=True)) == {
        "legal_aid", "repatriation"}


def test_pages_of_another_organisations_case_or_delivery_are_404(providing: Any, set_now: Any) -> None:
    p = providing
    b_delivery = delivery_save(actor=p.b_caseworker, case=p.case_b, values={})
    a_delivery = delivery_save(actor=p.a_caseworker, case=p.case_a, values={})
    b_app = application_record(actor=p.b_caseworker, case=p.case_b, applied_on=dt.date(2026, 3, 3),
                               applicant_kind="victim")
    client = login(Client(), p.a_caseworker)
    urls = [
        reverse("care:deliveries", kwargs={"case_id": p.case_b.pk}),
        reverse("care:delivery_new", kwargs={"case_id": p.case_b.pk}),
        reverse("care:application_new", kwargs={"case_id": p.case_b.pk}),
        reverse("care:delivery_edit", kwargs={"case_id": p.case_b.pk, "delivery_id": b_delivery.pk}),
        # another case's delivery under one's own case: not found either
        reverse("care:delivery_edit", kwargs={"case_id": p.case_a.pk, "delivery_id": b_delivery.pk}),
        reverse("care:application_delete", kwargs={"case_id": p.case_a.pk, "application_id": b_app.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "discard"}).status_code == 404, url
    # a colleague who is not on the team does not see case A's pages either
    colleague = login(Client(), p.a_caseworker2)
    assert colleague.get(reverse("care:delivery_edit", kwargs={
        "case_id": p.case_a.pk, "delivery_id": a_delivery.pk})).status_code == 404
    assert ServiceDelivery.objects.filter(pk=b_delivery.pk).exists()


def test_delivery_towards_a_plan_goal_of_this_case_only(providing: Any) -> None:
    from plans.models import Goal
    from plans.services import GoalInput, PlanInput, plan_save

    p = providing
    plan_save(actor=p.a_caseworker, case=p.case_a, version=0,
              data=PlanInput(goals=[GoalInput(domain="physical", description="Treat the injuries")]))
    plan_save(actor=p.b_caseworker, case=p.case_b, version=0,
              data=PlanInput(goals=[GoalInput(domain="safety", description="Other case")]))
    goal = Goal.objects.get(plan__case=p.case_a)
    other = Goal.objects.get(plan__case=p.case_b)
    with pytest.raises(ValidationError) as exc:
        delivery_save(actor=p.a_caseworker, case=p.case_a, values={"goal": other.pk})
    assert "goal" in exc.value.message_dict
    delivery = delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
        "service": "medical_care", "delivered_on": dt.date(2026, 3, 4), "goal": goal.pk})
    assert delivery.goal == goal and list(goal.deliveries.all()) == [delivery]


def test_a_delivery_has_an_optional_cost_in_whole_rupiah_never_negative(providing: Any, set_now: Any) -> None:
    p = providing
    for bad, message in (("-1", "negative"), ("12.5", "whole number"), ("abc", "amount"),
                         (10 ** 14, "too large")):
        with pytest.raises(ValidationError) as exc:
            delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
                "service": "medical_care", "delivered_on": dt.date(2026, 3, 4), "cost": bad})
        assert message in _errors(exc)["cost"][0]
    assert not ServiceDelivery.objects.exists()
    free = delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
        "service": "medical_care", "delivered_on": dt.date(2026, 3, 4), "cost": "0"})
    assert free.cost == 0
    done = delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
        "service": "medical_care", "delivered_on": dt.date(2026, 3, 4)})
    assert done.cost is None
    delivery_save(actor=p.a_caseworker, case=p.case_a, delivery=done, complete=True, version=done.version,
                  values={"cost": "350000"})
    done.refresh_from_db()
    assert done.cost == 350_000
    change = ChangeRecord.objects.filter(model="care.servicedelivery", object_id=str(done.pk),
                                         action=ChangeRecord.Action.UPDATE).get()
    assert "cost" in str(change.changes)
    page = login(Client(), p.a_caseworker).get(reverse("care:deliveries", kwargs={"case_id": p.case_a.pk}))
    assert "Rp 350.000" in page.content.decode() or "Rp 350,000" in page.content.decode()


def test_the_delivery_form_takes_the_cost(providing: Any, set_now: Any) -> None:
    p = providing
    client = login(Client(), p.a_caseworker)
    url = reverse("care:delivery_new", kwargs={"case_id": p.case_a.pk})
    page = client.get(url)
    assert 'name="cost"' in page.content.decode()
    response = client.post(url, {"action": "record", "service": "psychological_support", "delivered_on": "2026-03-04",
                                 "delivered_by": p.a_caseworker.pk, "cost": "-5"})
    assert response.status_code == 200 and not ServiceDelivery.objects.exists()
    response = client.post(url, {"action": "record", "service": "psychological_support", "delivered_on": "2026-03-04",
                                 "delivered_by": p.a_caseworker.pk, "cost": "250000"})
    assert response.status_code == 302 and ServiceDelivery.objects.get().cost == 250_000
