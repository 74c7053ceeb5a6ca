"""The planning half of recovery: the trauma-informed phase of a case and the individual
rehabilitation plan (rencana intervensi) with its goals, actions, revisions and approval.

Nothing here is ever deleted by the application: a goal is *dropped*, an action *cancelled*, a
plan *revised*; every saved version of the plan is kept as a ``PlanRevision`` snapshot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Domain


class Phase(models.TextChoices):
    """Judith Herman's stages of recovery as trauma-informed practice names them (DOMAIN.md section 1).
    Safety comes first; a case may move back a phase when safety is lost again."""

    SAFETY = "safety_stabilisation", _("safety and stabilisation")
    RECOVERY = "recovery", _("recovery")
    RECONNECTION = "reconnection_reintegration", _("reconnection and reintegration")


class PhaseChange(models.Model):
    """One decision of the case team about the case's phase. The current phase is the latest."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(_("phase"), max_length=32, choices=Phase.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed"), db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["case", "-changed_at", "-id"])]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.phase}"


class Plan(models.Model):
    """The one current rehabilitation plan of a case.

    ``version`` is the number of the latest revision (0 before the first save). A form or API call
    sends the version it was based on; a save based on an older version is refused (optimistic
    concurrency), so two people never silently overwrite each other.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    # The survivor's own priorities, in their own words (trauma-informed: voice and choice).
    priorities = models.TextField(_("the survivor's own priorities"), blank=True, default="")
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("rehabilitation plan")
        verbose_name_plural = _("rehabilitation plans")

    def __str__(self) -> str:
        return f"plan of {self.case_id} v{self.version}"


class GoalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status of a goal or action", "open")
    IN_PROGRESS = "in_progress", _("in progress")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("dropped")


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("recovery domain"), max_length=16, choices=Domain.choices)
    description = models.TextField(_("goal"))
    status = models.CharField(_("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"{self.domain}: {self.description[:40]}"


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status of a goal or action", "open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Action(models.Model):
    """A step towards a goal: who (organisation, and a person there) does what, by when."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="plan_actions",
        verbose_name=_("responsible organisation"),
    )
    # A Sintas user of the responsible organisation, or (for a partner without Sintas accounts)
    # just a name. Either, both or neither.
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions",
        verbose_name=_("responsible person (user)"),
    )
    responsible_name = models.CharField(_("responsible person (name)"), max_length=200, blank=True, default="")
    target_date = models.DateField(_("target date"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["target_date", "id"]
        indexes = [models.Index(fields=["status", "target_date"])]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.description[:40]


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for changes")
    # A draft or submitted revision that a later save replaced before any decision.
    SUPERSEDED = "superseded", _("superseded")


class PlanRevision(models.Model):
    """A snapshot of the whole plan (priorities, goals, actions) as one save left it.

    The snapshot never changes; only the approval fields do (draft → submitted → approved or
    returned). Approved revisions stay approved after later edits, so the last approved plan is
    always viewable.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("content"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved"))
    status = models.CharField(
        _("approval status"), max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("supervisor's comment"), blank=True, default="")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_revision_number")]
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")

    def __str__(self) -> str:
        return f"{self.plan_id} r{self.number} {self.status}"
