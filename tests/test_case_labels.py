"""The caseload and the case file show choice fields by their labels, in the user's language
(looked up by ``cases/templatetags/case_labels.py`` instead of ``get_FIELD_display``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import Personas, login


@pytest.mark.parametrize(("language", "status", "sex"), [("id", "penerimaan kasus", "perempuan"), ("en", "intake", "female")])
def test_caseload_and_case_file_show_labels_in_the_users_language(personas: Personas, language: str, status: str,
                                                                 sex: str) -> None:
    client = login(Client(), personas.a_caseworker)
    client.cookies["django_language"] = language
    for url in (reverse("cases:list"), reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})):
        body = client.get(url, headers={"accept-language": language}).content.decode()
        assert f'<span class="status status-intake">{status}</span>' in body, url
        assert f"<dd>{sex}</dd>" in body or f"{sex} · " in body, url
    with translation.override(language):
        assert personas.case_a.get_status_display() == status
