from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LocalizedNameMixin:
    """Picks the English variant of a Vietnamese field when the interface is in English."""

    def localized(self, field: str) -> str:
        value = getattr(self, field)
        if (get_language() or "vi").startswith("en"):
            return getattr(self, f"{field}_en", "") or value
        return value


class User(AbstractUser):
    """A person who logs in. Roles come from Membership (unit roles) and groups (board)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_notifications = models.BooleanField(
        _("e-mail for non-essential messages"),
        default=True,
        help_text=_("Reminders that need action are always e-mailed."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.get_username()


class EmulationBloc(LocalizedNameMixin, models.Model):
    """Khối / cụm thi đua: a group of comparable units that emulate each other."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("emulation bloc")
        verbose_name_plural = _("emulation blocs")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date) -> UnitQuerySet:
        """Units that exist on the given day (opened on or before it, not closed before it)."""
        return self.filter(
            Q(opened_on__isnull=True) | Q(opened_on__lte=day),
            Q(closed_on__isnull=True) | Q(closed_on__gte=day),
        )

    def descendants_of(self, unit: Unit, *, include_self: bool = False) -> UnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class Unit(LocalizedNameMixin, models.Model):
    """A unit of the sector, in a tree under the Ministry.

    `path` is a materialised path of primary keys ("/1/7/42/") kept by save(), so that a
    subtree is one indexed prefix query whatever its depth.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        DEPARTMENT = "department", _("Department under the Ministry")
        AGENCY = "agency", _("Agency (Cục, Ủy ban)")
        PUBLIC_SERVICE = "public_service", _("Public service unit")
        CORPORATION = "corporation", _("Corporation")
        ENTERPRISE = "enterprise", _("Enterprise")
        PROVINCIAL = "provincial", _("Provincial Department of Industry and Trade")
        UNION = "union", _("Trade union")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    bloc = models.ForeignKey(
        EmulationBloc,
        verbose_name=_("emulation bloc"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
    )
    province = models.CharField(_("province"), max_length=80, blank=True, db_index=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("predecessors"),
        symmetrical=False,
        blank=True,
        related_name="successors",
        help_text=_("Units merged into this one; their history is read across the change."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    commendation_authority = models.BooleanField(
        _("commendation authority"),
        default=False,
        help_text=_(
            "The head of the unit decides Lao động tiên tiến, Chiến sĩ thi đua cơ sở, Tập thể "
            "lao động tiên tiến and Giấy khen after the unit's own emulation council (Law on "
            "Emulation and Commendation 2022, Art 80). Units without it send these awards up "
            "to the nearest unit above that holds it, or to the Ministry."
        ),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    # The kinds that hold commendation authority in the shipped data: agencies (Cục, Ủy ban,
    # the general departments), public service units and corporations. The Ministry's office
    # (departments), enterprises under a corporation, the provincial departments (their
    # province decides) and the trade union (its own system) do not.
    AUTHORITY_KINDS = frozenset({Kind.AGENCY, Kind.PUBLIC_SERVICE, Kind.CORPORATION})

    history = HistoricalRecords(excluded_fields=["path"])
    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="unit_closed_after_opened",
                violation_error_message=_("A unit cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path depends on the primary key, so a new unit is written twice; moving a unit
        # rewrites the prefix of its whole subtree in one UPDATE. It lives in save() so that the
        # admin, imports and services can never leave a stale path behind.
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path == old_path:
            return
        Unit.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
        self.path = new_path

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_open_on(self, day: datetime.date) -> bool:
        return (self.opened_on is None or self.opened_on <= day) and (
            self.closed_on is None or self.closed_on >= day
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent_id and self.pk:
            parent_path = self.parent.path if self.parent.path else ""
            if self.parent_id == self.pk or (self.path and parent_path.startswith(self.path)):
                raise ValidationError({"parent": _("A unit cannot sit under itself.")})

    def ancestors(self) -> models.QuerySet[Unit]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        return Unit.objects.filter(pk__in=ids).exclude(pk=self.pk).order_by("path")

    def authority_unit(self) -> Unit | None:
        """The nearest unit at or above this one that holds commendation authority (one
        query), or None: the Ministry decides."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part] or [self.pk]
        return (
            Unit.objects.filter(pk__in=ids, commendation_authority=True)
            .exclude(kind=Unit.Kind.MINISTRY)
            .order_by("-path")
            .first()
        )


class Membership(models.Model):
    """A user's role in a unit: officer (reports progress) or head (accepts, submits)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Unit officer")
        HEAD = "head", _("Unit head")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__path", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_role_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class Person(models.Model):
    """A member of staff on the roster; nominations for individuals point here."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    code = models.SlugField(_("staff code"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    hometown = models.CharField(_("hometown"), max_length=150, blank=True)
    qualifications = models.CharField(_("qualifications"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class Notification(models.Model):
    """A message in a user's in-app inbox, stored already written in the user's language.

    `key` names what the notification is about (e.g. "reminder:42"); it is unique per
    recipient when set, so a task that runs twice cannot put the same message in twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_unique_key",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.message[:80]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


# --- Outgoing messages ---------------------------------------------------------------------------


class Delivery(models.Model):
    """What every outgoing message shares: who gets it, how, and where its one delivery stands.

    A row is the unit of exactly-once delivery (units/delivery.py): created once under a unique
    key, claimed by a conditional UPDATE, written to the inbox once (by key) and e-mailed once,
    and marked in the same transaction as the claim. Reminders (campaigns) and messages (below)
    are the two kinds of rows; both go through the same `deliver()`.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("No longer needed")

    # Each kind declares its own `recipient` (a foreign key to the user) with its related name.
    via_email = models.BooleanField(_("by e-mail"), default=True)
    via_app = models.BooleanField(_("in the app"), default=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("handed to the queue at"), default=timezone.now)
    handover = models.UUIDField(
        _("hand-over"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The sweep, nudge or returned report that created and queued it."),
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("When a failed send is tried again; empty means it waits for a person."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    # The inbox key (unique per recipient) and the e-mail's Message-ID: the same for every
    # attempt at the same row.
    def inbox_key(self) -> str:
        return f"{self._meta.model_name}:{self.pk}"

    def message_id(self) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "thidua"
        return f"<{self._meta.model_name}-{self.pk}@{domain}>"


class Message(Delivery):
    """A message written once for one person — a workflow hand-over, an award notice — and
    delivered like a reminder: in the inbox and, when it applies, by e-mail.

    It is written at creation in the recipient's language and stored as sent, so a retry sends
    the same words. `key` names the occasion (e.g. "publication:12"); with the recipient it is
    unique, so the same occasion never reaches the same person twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    key = models.CharField(_("key"), max_length=100)
    essential = models.BooleanField(
        _("needs action"),
        default=False,
        help_text=_("E-mailed whatever the recipient's e-mail preference."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    body = models.TextField(_("e-mail text"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="message_unique_key"),
        ]
        indexes = [
            models.Index(fields=["state", "enqueued_at"], name="message_queue"),
            models.Index(fields=["state", "next_attempt_at"], name="message_retry"),
        ]

    def __str__(self) -> str:
        return f"{self.key} — {self.recipient_id}"

    def inbox_key(self) -> str:
        return self.key
