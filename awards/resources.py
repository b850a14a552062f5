"""Imports of the nominee's record (all-or-nothing) and the council's export of nominations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from awards.models import (
    AwardGrant,
    AwardType,
    Initiative,
    Nomination,
    OpenMatter,
    Review,
    TaskRating,
)
from awards.selectors.catalogue import terms_in_force, terms_prefetch
from config.resources import (
    CodeForeignKeyWidget,
    DayWidget,
    StrictModelResource,
    XmlSafeExport,
    choices_hint,
)
from units.models import Person, Unit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text a spreadsheet would read as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ChoiceWidget(widgets.Widget):
    """Reads a choice by its code or by its label (Vietnamese or English), case-insensitively."""

    def __init__(self, choices, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _names(self) -> dict[str, str]:
        names = {}
        for language in ("vi", "en"):
            with translation.override(language):
                for code, label in self.choices.choices:
                    names[str(label).strip().lower()] = code
        names.update({code.lower(): code for code in self.choices.values})
        return names

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        code = self._names().get(str(value).strip().lower())
        if code is None:
            raise ValueError(
                gettext("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(self.choices.values)}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    """A yes/no column; an empty cell is no, and anything unrecognised is refused."""

    TRUE = {"1", "true", "yes", "y", "x", "có", "co"}
    FALSE = {"", "0", "false", "no", "n", "không", "khong"}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            gettext("Write yes or no (có / không), not “%(value)s”.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return "1" if value else "0"


class NomineeResource(StrictModelResource):
    """A row of the record belongs to a person (staff code) or a unit (unit code)."""

    person = fields.Field(
        attribute="person", column_name="person", widget=CodeForeignKeyWidget(Person)
    )
    unit = fields.Field(attribute="unit", column_name="unit", widget=CodeForeignKeyWidget(Unit))

    def get_instance(self, instance_loader, row):
        # An unknown code in an identifying column is reported against its column when the
        # row is read, rather than as a crash of the lookup.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, TypeError):
            return None


class TaskRatingResource(NomineeResource):
    rating = fields.Field(
        attribute="rating", column_name="rating", widget=ChoiceWidget(TaskRating.Rating)
    )
    disciplined = fields.Field(
        attribute="disciplined", column_name="disciplined", widget=YesNoWidget()
    )
    discipline_level = fields.Field(
        attribute="discipline_level",
        column_name="discipline_level",
        widget=ChoiceWidget(TaskRating.DisciplineLevel),
    )

    class Meta:
        model = TaskRating
        import_id_fields = ["person", "unit", "year"]
        fields = [
            "person",
            "unit",
            "year",
            "rating",
            "disciplined",
            "discipline_level",
            "note",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    # Files written before open matters had their own records carry a `pending` column. An
    # empty cell is ignored; a filled one is refused, because ignoring it would drop a matter
    # that blocks every award of the nominee.
    OLD_PENDING_COLUMN = "pending"

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.error_dict
        if str(row.get(self.OLD_PENDING_COLUMN) or "").strip():
            errors["note"] = [
                ValidationError(
                    gettext(
                        "The “pending” column is no longer read: record the investigation, "
                        "inspection or complaint in the open matters (their own import), with "
                        "the day it opened, and leave this column empty."
                    ),
                    code="pending_moved",
                )
            ]
        if errors:
            raise ValidationError(errors)

    def get_export_queryset(self, request=None):
        return super().get_export_queryset(request).select_related("person", "unit")


class OpenMatterResource(NomineeResource):
    """Investigations, inspections, complaints and discipline procedures: one row each, found
    again by nominee, kind and opening day (a second import updates it, e.g. to close it)."""

    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(OpenMatter.Kind))
    opened_on = fields.Field(attribute="opened_on", column_name="opened_on", widget=DayWidget())
    closed_on = fields.Field(attribute="closed_on", column_name="closed_on", widget=DayWidget())

    class Meta:
        model = OpenMatter
        import_id_fields = ["person", "unit", "kind", "opened_on"]
        fields = ["person", "unit", "kind", "summary", "opened_on", "closed_on", "resolution"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.error_dict
        today = timezone.localdate()
        for name in ("opened_on", "closed_on"):
            value = getattr(instance, name, None)
            if name not in errors and value is not None and value > today:
                errors[name] = [
                    ValidationError(
                        gettext("%(date)s is in the future.") % {"date": value.isoformat()},
                        code="future",
                    )
                ]
        if errors:
            raise ValidationError(errors)

    def get_export_queryset(self, request=None):
        return super().get_export_queryset(request).select_related("person", "unit")


class InitiativeResource(NomineeResource):
    scope = fields.Field(
        attribute="scope", column_name="scope", widget=ChoiceWidget(Initiative.Scope)
    )

    class Meta:
        model = Initiative
        import_id_fields = ["person", "unit", "title"]
        fields = ["person", "unit", "title", "scope", "recognised_on", "recognised_by"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None):
        return super().get_export_queryset(request).select_related("person", "unit")


class AwardGrantResource(NomineeResource):
    award_type = fields.Field(
        attribute="award_type", column_name="award", widget=CodeForeignKeyWidget(AwardType)
    )

    class Meta:
        model = AwardGrant
        import_id_fields = ["person", "unit", "award_type", "year", "decision_number"]
        fields = [
            "person",
            "unit",
            "year",
            "award_type",
            "decision_number",
            "decided_on",
            "issuer",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None):
        return super().get_export_queryset(request).select_related("person", "unit", "award_type")

    @classmethod
    def import_hints(cls) -> list[tuple[str, str]]:
        awards = AwardType.objects.order_by("code")
        return [
            *super().import_hints(),
            ("award", choices_hint((a.code, a.localized("name")) for a in awards)),
        ]


def _count(recommendation: str) -> Count:
    return Count("reviews", filter=Q(reviews__recommendation=recommendation), distinct=True)


class NominationCouncilResource(XmlSafeExport, resources.ModelResource):
    """The list a council meeting works from, one row per nomination. Export only."""

    nominee = fields.Field(column_name=_("Nominee"), dehydrate_method="dehydrate_nominee")
    kind = fields.Field(
        column_name=_("Individual or collective"), dehydrate_method="dehydrate_kind"
    )
    position = fields.Field(column_name=_("Position"), dehydrate_method="dehydrate_position")
    proposing_unit = fields.Field(
        column_name=_("Proposing unit"), dehydrate_method="dehydrate_proposing_unit"
    )
    award = fields.Field(column_name=_("Award"), dehydrate_method="dehydrate_award")
    year = fields.Field(attribute="year", column_name=_("Year"))
    status = fields.Field(column_name=_("Status"), dehydrate_method="dehydrate_status")
    eligibility = fields.Field(
        column_name=_("Eligibility"), dehydrate_method="dehydrate_eligibility"
    )
    failed_rules = fields.Field(
        column_name=_("Rules not met"), dehydrate_method="dehydrate_failed_rules"
    )
    justification = fields.Field(attribute="justification", column_name=_("Justification"))
    support = fields.Field(attribute="support_count", column_name=_("Support"))
    oppose = fields.Field(attribute="oppose_count", column_name=_("Oppose"))
    abstain = fields.Field(attribute="abstain_count", column_name=_("Abstain"))
    conflicts = fields.Field(attribute="conflict_count", column_name=_("Conflicts of interest"))
    average_score = fields.Field(
        column_name=_("Average score"), dehydrate_method="dehydrate_average"
    )
    secret_ballot = fields.Field(
        column_name=_("Secret ballot, threshold"), dehydrate_method="dehydrate_ballot"
    )

    class Meta:
        model = Nomination
        fields = [
            "id",
            "nominee",
            "kind",
            "position",
            "proposing_unit",
            "award",
            "year",
            "status",
            "eligibility",
            "failed_rules",
            "justification",
            "support",
            "oppose",
            "abstain",
            "conflicts",
            "average_score",
            "secret_ballot",
        ]
        export_order = fields

    def filter_export(self, queryset: QuerySet[Nomination], **kwargs) -> QuerySet[Nomination]:
        return (
            queryset.select_related("award_type", "person", "unit", "proposing_unit")
            .prefetch_related(terms_prefetch("award_type__terms"))
            .annotate(
                nominee_name=Coalesce("person__full_name", "unit__name"),
                support_count=_count(Review.Recommendation.SUPPORT),
                oppose_count=_count(Review.Recommendation.OPPOSE),
                abstain_count=_count(Review.Recommendation.ABSTAIN),
                conflict_count=Count(
                    "reviews", filter=Q(reviews__conflict_of_interest=True), distinct=True
                ),
                average=Avg("reviews__score", filter=Q(reviews__submitted_at__isnull=False)),
            )
            .order_by("award_type__order", "proposing_unit__name", "nominee_name")
        )

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    def dehydrate_nominee(self, nomination: Nomination) -> str:
        return nomination.person.full_name if nomination.person_id else nomination.unit.name

    def dehydrate_kind(self, nomination: Nomination) -> str:
        return str(_("Individual") if nomination.person_id else _("Collective"))

    def dehydrate_position(self, nomination: Nomination) -> str:
        return nomination.person.position if nomination.person_id else ""

    def dehydrate_proposing_unit(self, nomination: Nomination) -> str:
        return nomination.proposing_unit.name

    def dehydrate_award(self, nomination: Nomination) -> str:
        return nomination.award_type.name

    def dehydrate_status(self, nomination: Nomination) -> str:
        return str(nomination.get_status_display())

    def dehydrate_eligibility(self, nomination: Nomination) -> str:
        return str(nomination.get_eligibility_outcome_display())

    def dehydrate_failed_rules(self, nomination: Nomination) -> str:
        language = (translation.get_language() or "vi").split("-")[0]
        lines = (nomination.eligibility or {}).get("lines", [])

        def failed(lines):
            # An any-of group that fails lists the reasons of its paths' failed rules.
            for line in lines:
                if line.get("outcome") != "not_met":
                    continue
                if line.get("paths"):
                    for path in line["paths"]:
                        yield from failed(path.get("lines", []))
                else:
                    yield line["reason"].get(language) or line["reason"].get("vi", "")

        return "\n".join(failed(lines))

    def dehydrate_average(self, nomination: Nomination) -> str:
        return f"{nomination.average:.1f}" if nomination.average is not None else ""

    def dehydrate_ballot(self, nomination: Nomination) -> str:
        # The terms in force on the day of the export (prefetched by filter_export).
        terms = terms_in_force(nomination.award_type, timezone.localdate())
        if terms is None or not terms.secret_ballot:
            return str(_("No"))
        return f"{terms.ballot_threshold_percent}% ({terms.ballot_source})"
