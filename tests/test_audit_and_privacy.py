"""Audit trail and encryption at rest."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry, ChangeRecord
from conftest import Personas, login


def test_viewing_a_case_file_writes_exactly_one_access_log_row(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    assert response.status_code == 200
    rows = list(AccessLogEntry.objects.order_by("-id")[: AccessLogEntry.objects.count() - before])
    assert len(rows) == 1
    assert rows[0].user == personas.a_caseworker
    assert rows[0].case_id == personas.case_a.pk
    assert rows[0].what == AccessLogEntry.What.CASE_FILE


def test_viewing_identity_is_logged_and_404_does_not_log(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    client.get(reverse("cases:identity", kwargs={"case_id": personas.case_a.pk}))
    assert AccessLogEntry.objects.filter(what="identity", case_id=personas.case_a.pk).count() == 1
    login(Client(), personas.a_supervisor).get(reverse("cases:identity", kwargs={"case_id": personas.case_a.pk}))
    assert AccessLogEntry.objects.filter(what="identity", user=personas.a_supervisor).count() == 0


def test_access_log_is_append_only(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    client.get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    entry = AccessLogEntry.objects.latest("id")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(what="photo")


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_to_rewrite_the_access_log(personas: Personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL only (SQLite: the model refuses)")
    from django.db import DatabaseError, transaction

    login(Client(), personas.a_caseworker).get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    entry_id = AccessLogEntry.objects.latest("id").pk
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET what = 'photo' WHERE id = %s", [entry_id])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entry_id])


def test_supervisor_sees_the_access_log_of_own_organisation_only(personas: Personas) -> None:
    login(Client(), personas.a_caseworker).get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}))
    login(Client(), personas.b_caseworker).get(reverse("cases:detail", kwargs={"case_id": personas.case_b.pk}))
    page = login(Client(), personas.a_supervisor).get(reverse("cases:access_log"))
    assert page.status_code == 200
    body = page.content.decode()
    assert personas.a_caseworker.display_name in body
    assert personas.b_caseworker.display_name not in body
    assert login(Client(), personas.a_caseworker).get(reverse("cases:access_log")).status_code == 404


def test_edits_appear_in_history_with_old_and_new_values(personas: Personas) -> None:
    from cases.services import case_intake_update

    case_intake_update(actor=personas.a_caseworker, case=personas.case_a,
                       values={"modus": "online_scam", "exploitation_country": "KH"})
    record = ChangeRecord.objects.filter(case_id=personas.case_a.pk, model="cases.case", action="update").latest("id")
    assert record.actor == personas.a_caseworker
    assert record.changes["modus"] == ["", "online_scam"]
    assert record.changes["exploitation_country"] == ["", "KH"]
    page = login(Client(), personas.a_caseworker).get(reverse("cases:history", kwargs={"case_id": personas.case_a.pk}))
    assert "online_scam" in page.content.decode()


def test_identity_changes_are_recorded_without_their_values(personas: Personas) -> None:
    from survivors.services import identity_update

    identity_update(actor=personas.a_caseworker, case=personas.case_a, values={"phone_numbers": "+6285200000001"})
    record = ChangeRecord.objects.filter(model="survivors.identity").latest("id")
    assert record.changes == {"phone_numbers": ["•••", "•••"]}
    every_change = str(list(ChangeRecord.objects.values_list("changes", flat=True)))
    for secret in ("Sari Wulandari", "5371015204990001", "+6285200000001", "+6281234567890", "Melati"):
        assert secret not in every_change


def test_raw_database_rows_hold_no_plain_name_nik_or_phone(personas: Personas) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, nik, phone_numbers, address, birth_date, nik_hash FROM survivors_identity")
        rows = cursor.fetchall()
        cursor.execute("SELECT full_name, phone FROM survivors_guardian")
        rows += cursor.fetchall()
    dump = repr(rows)
    assert len(rows) >= 2
    for secret in ("Sari", "Wulandari", "Budi", "5371015204990001", "3578010107880002", "6281234567890",
                   "Melati", "1999-04-12"):
        assert secret not in dump
    # and the ORM still reads them back
    personas.case_a.survivor.identity.refresh_from_db()
    assert personas.case_a.survivor.identity.nik == "5371015204990001"


def test_find_by_exact_nik_through_the_keyed_hash(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    response = client.post(reverse("cases:list"), {"q": "5371 0152 0499 0001"}, follow=True)  # POSTed, never a URL
    assert personas.case_a.survivor.code in response.content.decode()
    assert "5371" not in response.redirect_chain[0][0]
    assert AccessLogEntry.objects.filter(what="search_nik", user=personas.a_caseworker).count() == 1
    # another organisation's survivor is not found, even by exact NIK
    response = client.post(reverse("cases:list"), {"q": "3578010107880002"}, follow=True)
    assert personas.case_b.survivor.code not in response.content.decode()


def test_key_rotation_keeps_data_readable(personas: Personas, settings: object) -> None:
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from survivors.models import Identity

    old = list(settings.SINTAS_ENCRYPTION_KEYS)  # type: ignore[attr-defined]
    new_key = Fernet.generate_key().decode()
    settings.SINTAS_ENCRYPTION_KEYS = [new_key, *old]  # type: ignore[attr-defined]
    call_command("rotate_keys", verbosity=0)
    settings.SINTAS_ENCRYPTION_KEYS = [new_key]  # type: ignore[attr-defined]
    assert Identity.objects.get(survivor=personas.case_a.survivor).full_name == "Sari Wulandari"
