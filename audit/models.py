"""The change history and the append-only access log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, router
from django.utils.translation import gettext_lazy as _

from core import clock

from .chain import chained_insert


class ChainedQuerySet(models.QuerySet[Any]):
    """Rows of a hash-chained table: only ever inserted; a bulk insert links the whole batch under one lock."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model._meta.verbose_name} is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model._meta.verbose_name} is append-only.")

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ValueError("A hash-chained table takes plain inserts only (a skipped row would break the chain).")
        rows = list(objs)
        return chained_insert(self.model, rows, self.db, lambda: super(ChainedQuerySet, self).bulk_create(
            rows, *args, **kwargs))


class ChainedModel(models.Model):
    """A row that, once written, carries its link in the table's hash chain (audit/chain.py)."""

    chain_seq = models.BigIntegerField(unique=True, editable=False)
    chain_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{self._meta.verbose_name} is append-only.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        chained_insert(type(self), [self], using, lambda: super(ChainedModel, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self._meta.verbose_name} is append-only.")


class ChangeRecord(ChainedModel):
    """One change to one record: who, when, and each field's old and new value.

    Values of encrypted identity fields are never copied here (that would put plain identity
    data outside the vault); the record says which of them changed. Rows are only ever inserted,
    each linked into the table's hash chain (audit/chain.py).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    model = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict)
    # The case the change belongs to, so a case's history is one indexed query.
    case_id = models.UUIDField(null=True, blank=True, db_index=True)

    objects = ChainedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = _("change record")

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id} {self.action}"


class AccessLogEntry(ChainedModel):
    """Who saw which case or identity, when. Rows are only ever inserted (PostgreSQL also
    refuses UPDATE and DELETE on this table by trigger, see migration 0002, and the application's
    role may only INSERT and SELECT, see docs/privacy.md), each linked into the table's hash chain."""

    class What(models.TextChoices):
        CASE_FILE = "case_file", _("case file")
        IDENTITY = "identity", _("identity")
        PHOTO = "photo", _("photo")
        HISTORY = "history", _("change history")
        API_CASE = "api_case", _("case (API)")
        API_SURVIVOR = "api_survivor", _("survivor (API)")
        API_IDENTITY = "api_identity", _("identity (API)")
        SEARCH_NIK = "search_nik", _("search by NIK")
        SCREENING = "screening", _("screening result (PHQ-9, GAD-7, PCL-5)")
        REFERRAL_PACKET = "referral_packet", _("referral packet")
        EXPORT = "export", _("export (HTCDS JSON)")
        TRANSFERRED_RECORDS = "transferred_records", _("own records of a transferred case")
        SIMFONI_EXPORT = "simfoni_export", _("export to SIMFONI-PPA")
        LEGAL_FILE = "legal_file", _("legal protection and restitution")
        LEGAL_EVIDENCE = "legal_evidence", _("evidence document of a loss or payment")
        LEGAL_PARTIES = "legal_parties", _("identity of suspects and perpetrators")
        # Not a showing of a case: an API token is a standing key to everything its owner may see.
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        # A registration or identity change matched this survivor (privacy room): who looked for whom.
        LINKAGE_MATCH = "linkage_match", _("identity matched at registration")
        # Break-the-glass (privacy room): a search by survivor code or NIK with a reason (matched
        # or not), and every showing of a case opened under an emergency grant.
        EMERGENCY_SEARCH = "emergency_search", _("emergency access: search by code or NIK")
        EMERGENCY_VIEW = "emergency_view", _("emergency access: case shown")

    at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    organisation_id = models.BigIntegerField(null=True, db_index=True)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    survivor_id = models.UUIDField(null=True, blank=True)
    what = models.CharField(_("what was shown"), max_length=20, choices=What.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = ChainedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.user_id} {self.what} {self.case_id}"
