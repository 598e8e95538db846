from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    """Every kind of audited change, grouped by bounded context."""

    # regions
    REGIONS_IMPORTED = "regions.imported", _("Region list imported")
    BOUNDARIES_IMPORTED = "regions.boundaries_imported", _("Region boundaries imported")
    # catalogue
    CATALOGUE_LOADED = "catalogue.loaded", _("Catalogue loaded")
    CATALOGUE_COPIED = "catalogue.copied", _("Catalogue copied to a new year")
    INDICATOR_UPDATED = "catalogue.indicator_updated", _("Indicator changed")
    CATALOGUE_PUBLISHED = "catalogue.published", _("Catalogue published")
    # accounts
    USER_CREATED = "accounts.user_created", _("User created")
    ASSIGNMENT_CREATED = "accounts.assignment_created", _("Role assigned")
    ASSIGNMENT_ENDED = "accounts.assignment_ended", _("Role ended")
    USER_DEACTIVATED = "accounts.user_deactivated", _("Account deactivated")
    USER_ACTIVATED = "accounts.user_activated", _("Account reactivated")
    USER_UNLOCKED = "accounts.user_unlocked", _("Account unlocked")
    PASSWORD_RESET = "accounts.password_reset", _("Password reset by an admin")
    DECREE_REGISTERED = "accounts.decree_registered", _("Appointment decree recorded")
    LOGIN = "accounts.login", _("Logged in")
    LOGOUT = "accounts.logout", _("Logged out")
    LOGIN_FAILED = "accounts.login_failed", _("Failed login")
    LOCKED_OUT = "accounts.locked_out", _("Locked out after failed logins")
    PASSWORD_CHANGED = "accounts.password_changed", _("Password changed")
    TWO_FACTOR_ENABLED = "accounts.two_factor_enabled", _("Two-factor login enabled")
    TWO_FACTOR_RESET = "accounts.two_factor_reset", _("Two-factor login reset by an admin")
    # reporting
    VALUES_IMPORTED = "reporting.values_imported", _("Values imported from Excel")
    VALIDATION_RULE_SAVED = "reporting.validation_rule_saved", _("Validation rule saved")
    SUBDISTRICT_ENTRY_CHANGED = (
        "reporting.subdistrict_entry_changed",
        _("Subdistrict entry switched"),
    )
    DUTIES_GENERATED = "reporting.duties_generated", _("Reporting duties generated")
    DUTY_CHANGED = "reporting.duty_changed", _("Reporting duty changed")
    SOURCE_IMPORTED = "reporting.source_imported", _("Values imported from a source system file")
    REPORTING_UNIT_CREATED = "reporting.unit_created", _("Reporting unit created")
    # review
    SUBMISSION_SUBMITTED = "review.submitted", _("Data submitted for verification")
    SUBMISSION_VERIFIED = "review.verified", _("Submission verified")
    SUBMISSION_RETURNED = "review.returned", _("Submission returned for correction")
    SUBMISSION_REOPENED = "review.reopened", _("Verified submission reopened")
    # documents
    DOCUMENT_ADDED = "documents.added", _("Document added")
    DOCUMENT_CHANGED = "documents.changed", _("Document changed")
    DOCUMENT_REVOKED = "documents.revoked", _("Regulation revoked")
    DOCUMENT_REMOVED = "documents.removed", _("Document removed")
    # assessment
    ASSESSMENT_ROUND_CREATED = "assessment.round_created", _("Assessment round created")
    ASSESSMENT_ROUND_CHANGED = "assessment.round_changed", _("Assessment round settings changed")
    ASSESSMENT_RUBRIC_CHANGED = "assessment.rubric_changed", _("Assessment rubric changed")
    ASSESSMENT_PANELIST_ADDED = "assessment.panelist_added", _("Panelist assigned to a round")
    ASSESSMENT_PANELIST_REMOVED = "assessment.panelist_removed", _("Panelist removed from a round")
    ASSESSMENT_SCORING_OPENED = "assessment.scoring_opened", _("Assessment scoring opened")
    ASSESSMENT_SCORE_SAVED = "assessment.score_saved", _("Assessment score saved")
    ASSESSMENT_RESULTS_COMPUTED = "assessment.results_computed", _("Assessment results computed")
    ASSESSMENT_ROUND_CLOSED = "assessment.round_closed", _("Assessment round closed")
    ASSESSMENT_ROUND_PUBLISHED = "assessment.round_published", _("Assessment results published")
    ASSESSMENT_ROUND_REOPENED = "assessment.round_reopened", _("Assessment round reopened")
    ASSESSMENT_ROUND_UNPUBLISHED = (
        "assessment.round_unpublished",
        _("Assessment results withdrawn from publication"),
    )
    ASSESSMENT_ROUND_DELETED = "assessment.round_deleted", _("Draft assessment round deleted")
    # prevalence
    PREVALENCE_IMPORTED = "prevalence.imported", _("Prevalence figures imported")
    # api
    ACCESS_TOKEN_CREATED = "api.token_created", _("API access token created")
    ACCESS_TOKEN_REVOKED = "api.token_revoked", _("API access token revoked")
    VALUES_RECEIVED = "api.values_received", _("Values received through the API")
    WEBHOOK_CREATED = "api.webhook_created", _("Webhook registered")
    WEBHOOK_DEACTIVATED = "api.webhook_deactivated", _("Webhook switched off")


class AuditEvent(models.Model):
    """Who changed what, when, and the values before and after; written by services."""

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # A system actor (a command, an import) is named here when there is no user.
    actor_label = models.CharField(max_length=150, blank=True)
    # Validated against AuditEventType in code, not as DB choices: new kinds need no migration.
    event_type = models.CharField(_("event"), max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    region_code = models.CharField(max_length=13, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.event_type} {self.target_label}"

    def get_event_type_display(self) -> str:
        try:
            return str(AuditEventType(self.event_type).label)
        except ValueError:
            return self.event_type
