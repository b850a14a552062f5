"""The award catalogue: the titles and forms of commendation of the Law."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import LocalizedNameMixin


class AwardType(LocalizedNameMixin, models.Model):
    """One title or form of commendation of the Law on Emulation and Commendation.

    The catalogue is loaded by a data migration. Values the reference marks as unconfirmed
    ([U]) are listed in `unconfirmed`; only those can be changed in the admin.
    """

    class Kind(models.TextChoices):
        TITLE = "title", _("Danh hiệu thi đua")
        FORM = "form", _("Hình thức khen thưởng")

    class Recipient(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COLLECTIVE = "collective", _("Collective")
        BOTH = "both", _("Individual or collective")

    class DecidedBy(models.TextChoices):
        UNIT_HEAD = "unit_head", _("Head of the unit")
        MINISTER = "minister", _("Minister of Industry and Trade")
        PRIME_MINISTER = "prime_minister", _("Prime Minister")
        PRESIDENT = "president", _("President")

    # The policy values an administrator may adjust when the reference marks them [U].
    ADJUSTABLE = (
        "decided_by",
        "secret_ballot",
        "ballot_threshold_percent",
        "publicity_working_days",
        "rule_codes",
        "rule_params",
    )

    code = models.CharField(_("code"), max_length=20, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    recipient = models.CharField(_("awarded to"), max_length=12, choices=Recipient.choices)
    decided_by = models.CharField(
        _("decided by"),
        max_length=20,
        choices=DecidedBy.choices,
        help_text=_(
            "Awards decided by the Prime Minister or the President are prepared by the Ministry "
            "and forwarded."
        ),
    )
    secret_ballot = models.BooleanField(
        _("secret ballot required"),
        default=False,
        help_text=_("Whether the council must vote on it by secret ballot (NĐ 98 Art 30.7)."),
    )
    ballot_threshold_percent = models.PositiveSmallIntegerField(
        _("approval threshold (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of ALL council members (not of those present) who must approve, in whole "
            "percent, e.g. 90. Empty when the law sets no threshold."
        ),
    )
    publicity_working_days = models.PositiveSmallIntegerField(
        _("publicity (working days)"),
        default=0,
        help_text=_(
            "Working days an approved nominee is published for public comment before the "
            "decision, counted without weekends and public holidays; 0 means no publicity."
        ),
    )
    rule_codes = models.JSONField(
        _("eligibility rules"),
        default=list,
        blank=True,
        help_text=_(
            "The eligibility rules checked for this award: a list whose items are rule codes or "
            'any-of groups where the law lists alternatives, e.g. {"any_of": [["rule_a", '
            '"rule_b"], ["rule_c"]], "label": "Điều 74.1"} (met when one path is met). The '
            "general rules (initiative used once, no open matter) are always checked."
        ),
    )
    rule_params = models.JSONField(
        _("rule parameters"),
        default=dict,
        blank=True,
        help_text=_('Whole-number parameters of the rules, e.g. {"ldtt_min_percent": 70}.'),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    unconfirmed = models.JSONField(
        _("unconfirmed values"),
        default=list,
        blank=True,
        help_text=_("Fields whose values the legal reference marks as unconfirmed [U]."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("award type")
        verbose_name_plural = _("award catalogue")
        constraints = [
            models.CheckConstraint(
                condition=Q(ballot_threshold_percent__isnull=True)
                | (Q(ballot_threshold_percent__gte=1) & Q(ballot_threshold_percent__lte=100)),
                name="awardtype_threshold_is_a_percent",
                violation_error_message=_("The threshold is a percentage between 1 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(secret_ballot=False) | Q(ballot_threshold_percent__isnull=False),
                name="awardtype_ballot_has_threshold",
                violation_error_message=_("A secret ballot needs an approval threshold."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} — {self.localized('name')}"

    @property
    def is_forwarded(self) -> bool:
        """The Ministry prepares the dossier and sends it up; it does not decide."""
        return self.decided_by in {self.DecidedBy.PRIME_MINISTER, self.DecidedBy.PRESIDENT}

    @property
    def for_individuals(self) -> bool:
        return self.recipient in {self.Recipient.INDIVIDUAL, self.Recipient.BOTH}

    @property
    def for_collectives(self) -> bool:
        return self.recipient in {self.Recipient.COLLECTIVE, self.Recipient.BOTH}

    def threshold_met(self, *, approvals: int, council_size: int) -> bool:
        """Approvals reach the threshold share of all council members (integer arithmetic)."""
        if self.ballot_threshold_percent is None:
            raise ValueError(f"{self.code} has no approval threshold")
        return approvals * 100 >= self.ballot_threshold_percent * council_size

    def approved_by(self, *, approvals: int, council_size: int) -> bool:
        """Whether a council vote approves this award, counted on ALL council members.

        The law sets a threshold ("at least N% of all members") for the awards it puts to a
        secret ballot. The others are voted on the same ballot and need a simple majority of
        all members: more than COUNCIL_MAJORITY_PERCENT % (50 by default). Integers only.
        """
        if council_size < 1:
            raise ValueError("a council has at least one member")
        if self.ballot_threshold_percent is not None:
            return self.threshold_met(approvals=approvals, council_size=council_size)
        return approvals * 100 > settings.COUNCIL_MAJORITY_PERCENT * council_size

    @property
    def needs_publicity(self) -> bool:
        return self.publicity_working_days > 0

    def clean(self) -> None:
        from awards.eligibility import validate_rule_setup

        errors = validate_rule_setup(
            rule_codes=self.rule_codes, rule_params=self.rule_params, recipient=self.recipient
        )
        if errors:
            raise ValidationError(errors)
