"""E-mail notifications that carry no personal data: a sentence and a link to sign in.

Sent after the transaction commits (a rolled-back change notifies nobody), and a mail server that
is down never undoes the work that caused the message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

logger = logging.getLogger(__name__)

DEFAULT_SITE_URL = "http://localhost:8000"


def site_url() -> str:
    """The address of this installation, for links in e-mails (``SINTAS_SITE_URL``)."""
    return str(getattr(settings, "SINTAS_SITE_URL", DEFAULT_SITE_URL)).rstrip("/")


def link_mail_on_commit(emails: Iterable[str], subject: str, body: str, path: str) -> None:
    """Send ``subject`` and ``body`` (already translated) with the link ``site_url() + path``."""
    recipients = sorted({e for e in emails if e})
    if not recipients:
        return
    text = f"{body}\n{site_url()}{path}\n"

    def go() -> None:
        try:
            send_mail(subject, text, None, recipients)
        except Exception:  # noqa: BLE001 - a mail server down must not undo the work
            logger.exception("notification not sent")

    transaction.on_commit(go)


def in_site_language() -> translation.override:
    """Messages go out in the installation's language (Indonesian by default)."""
    return translation.override(settings.LANGUAGE_CODE)
