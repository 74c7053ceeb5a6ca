"""The browsable API (a signed-in browser): every endpoint renders, forms included."""

from __future__ import annotations

from api.tests.conftest import session_client
from audit.models import AccessLogEntry
from conftest import Personas


def test_every_endpoint_renders_as_html(personas: Personas) -> None:
    client = session_client(personas.a_caseworker)
    case = f"/api/v1/cases/{personas.case_a.pk}/"
    for url in ("/api/v1/cases/", case, f"{case}identity/", f"{case}consents/", f"{case}transition/",
                "/api/v1/survivors/", f"/api/v1/survivors/{personas.case_a.survivor_id}/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 405), url
        assert response["Content-Type"].startswith("text/html"), url
    # Rendering the forms showed the identity once, and logged it once.
    assert AccessLogEntry.objects.filter(what=AccessLogEntry.What.API_IDENTITY).count() == 1
