"""The scoring table of a bloc's year: groups, criteria, copying last year's, XLSX import."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from blocs import indicators
from blocs.models import BlocYear, Criterion, CriterionGroup, Scoring
from blocs.services.years import guard_not_published, lock_year
from units.models import User

COLUMNS = [
    "group",
    "group_title",
    "group_max",
    "code",
    "criterion",
    "kind",
    "max_points",
    "formula",
]


def guard_table_open(bloc_year: BlocYear) -> None:
    guard_not_published(bloc_year)
    if bloc_year.scorings.exclude(status=Scoring.Status.DRAFT).exists():
        raise ValidationError(
            _("A member has submitted its scoring: the table no longer changes."), code="fixed"
        )


def _check_criterion(*, group_max: Decimal, kind: str, max_points: Decimal, formula: str) -> None:
    errors = {}
    if kind not in Criterion.Kind.values:
        errors["kind"] = _("Choose how the criterion is scored.")
    if max_points is None or max_points < 0:
        errors["max_points"] = _("The maximum is a number of points, 0 or more.")
    elif kind in (Criterion.Kind.MANUAL, Criterion.Kind.COMPUTED) and max_points > group_max:
        errors["max_points"] = _("A criterion cannot be worth more than its group (%(max)s).") % {
            "max": group_max
        }
    if kind == Criterion.Kind.COMPUTED:
        try:
            indicators.check_formula(formula)
        except ValidationError as error:
            errors.update(error.message_dict)
    elif formula.strip():
        errors["formula"] = _("Only a computed criterion has a formula.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_add(
    *, bloc_year: BlocYear, title: str, max_points: Decimal, actor: User | None
) -> CriterionGroup:
    bloc_year = lock_year(bloc_year)
    guard_table_open(bloc_year)
    if not title.strip():
        raise ValidationError({"title": _("Name the group.")})
    if max_points is None or max_points < 0:
        raise ValidationError({"max_points": _("The maximum is a number of points, 0 or more.")})
    number = (
        bloc_year.groups.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    group = CriterionGroup(
        bloc_year=bloc_year, number=number, title=title.strip(), max_points=max_points
    )
    group._history_user = actor
    group.save()
    return group


@transaction.atomic
def criterion_add(
    *,
    group: CriterionGroup,
    title: str,
    kind: str,
    max_points: Decimal,
    formula: str = "",
    code: str = "",
    actor: User | None,
) -> Criterion:
    lock_year(group.bloc_year)
    guard_table_open(group.bloc_year)
    if not title.strip():
        raise ValidationError({"title": _("Name the criterion.")})
    _check_criterion(group_max=group.max_points, kind=kind, max_points=max_points, formula=formula)
    order = group.criteria.count() + 1
    code = slugify(code) or f"{group.number}-{order}"
    if group.criteria.filter(code=code).exists():
        raise ValidationError({"code": _("Another criterion of the group has this code.")})
    criterion = Criterion(
        group=group,
        code=code,
        title=title.strip(),
        kind=kind,
        max_points=max_points,
        formula=formula.strip() if kind == Criterion.Kind.COMPUTED else "",
        order=order,
    )
    criterion._history_user = actor
    criterion.save()
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, actor: User | None) -> None:
    lock_year(criterion.group.bloc_year)
    guard_table_open(criterion.group.bloc_year)
    criterion._history_user = actor
    criterion.delete()


@transaction.atomic
def group_remove(*, group: CriterionGroup, actor: User | None) -> None:
    lock_year(group.bloc_year)
    guard_table_open(group.bloc_year)
    group._history_user = actor
    group.delete()


def _replace(bloc_year: BlocYear, rows: list[dict]) -> int:
    """Write the table from rows of COLUMNS (already checked)."""
    bloc_year.groups.all().delete()
    groups: dict[int, CriterionGroup] = {}
    for order, row in enumerate(rows, start=1):
        group = groups.get(row["group"])
        if group is None:
            group = groups[row["group"]] = CriterionGroup.objects.create(
                bloc_year=bloc_year,
                number=row["group"],
                title=row["group_title"],
                max_points=row["group_max"],
            )
        Criterion.objects.create(
            group=group,
            code=row["code"],
            title=row["criterion"],
            kind=row["kind"],
            max_points=row["max_points"],
            formula=row["formula"],
            order=order,
        )
    return len(rows)


@transaction.atomic
def table_copy_last_year(*, bloc_year: BlocYear, actor: User | None) -> int:
    """Copy the latest earlier year's table of the same bloc; refused when this year already
    has one. Returns the number of criteria copied."""
    bloc_year = lock_year(bloc_year)
    guard_table_open(bloc_year)
    if bloc_year.groups.exists():
        raise ValidationError(
            _("This year already has a scoring table: remove it first."), code="exists"
        )
    source = (
        BlocYear.objects.filter(
            bloc_id=bloc_year.bloc_id, year__lt=bloc_year.year, groups__isnull=False
        )
        .order_by("-year")
        .first()
    )
    if source is None:
        raise ValidationError(_("No earlier year of this bloc has a scoring table."), code="none")
    rows = [
        {
            "group": criterion.group.number,
            "group_title": criterion.group.title,
            "group_max": criterion.group.max_points,
            "code": criterion.code,
            "criterion": criterion.title,
            "kind": criterion.kind,
            "max_points": criterion.max_points,
            "formula": criterion.formula,
        }
        for criterion in Criterion.objects.filter(group__bloc_year=source)
        .select_related("group")
        .order_by("group__number", "order", "pk")
    ]
    return _replace(bloc_year, rows)


# --- XLSX ------------------------------------------------------------------------------------


def table_export(bloc_year: BlocYear) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(bloc_year.year)
    sheet.append(COLUMNS)
    for criterion in (
        Criterion.objects.filter(group__bloc_year=bloc_year)
        .select_related("group")
        .order_by("group__number", "order", "pk")
    ):
        group = criterion.group
        sheet.append(
            [
                group.number,
                group.title,
                float(group.max_points),
                criterion.code,
                criterion.title,
                criterion.kind,
                float(criterion.max_points),
                criterion.formula,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)
    imported: bool = False


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None


def _read_rows(data: bytes) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("This file is not a workbook (.xlsx)."), code="format") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(name or "").strip() for name in next(rows, [])]
    missing = [name for name in COLUMNS if name not in header and name != "formula"]
    if missing:
        raise ValidationError(
            _("The first row must name the columns: %(columns)s.")
            % {"columns": ", ".join(COLUMNS)},
            code="header",
        )
    read = []
    for number, values in enumerate(rows, start=2):
        if number > 1000:
            raise ValidationError(_("A scoring table has at most 1000 rows."), code="rows")
        if not any(value not in (None, "") for value in values):
            continue
        row = {
            name: values[index] if index < len(values) else None
            for index, name in enumerate(header)
        }
        read.append((number, row))
    return read


def table_import(
    *, bloc_year: BlocYear, data: bytes, dry_run: bool, actor: User | None
) -> ImportResult:
    """Check every row; replace the table only when none has an error and it is not a dry run."""
    result = ImportResult()
    groups: dict[int, tuple[str, Decimal]] = {}
    codes: set[tuple[int, str]] = set()
    for number, raw in _read_rows(data):
        try:
            group = int(raw.get("group"))
        except (TypeError, ValueError):
            result.errors.append((number, _("The group is a whole number.")))
            continue
        row = {
            "group": group,
            "group_title": str(raw.get("group_title") or "").strip(),
            "group_max": _decimal(raw.get("group_max")),
            "code": slugify(str(raw.get("code") or "")),
            "criterion": str(raw.get("criterion") or "").strip(),
            "kind": str(raw.get("kind") or "").strip(),
            "max_points": _decimal(raw.get("max_points")),
            "formula": str(raw.get("formula") or "").strip(),
        }
        problems = []
        if not row["group_title"] or row["group_max"] is None:
            problems.append(_("Each row names its group's title and maximum."))
        elif group in groups and groups[group] != (row["group_title"], row["group_max"]):
            problems.append(_("The group's title or maximum differs from an earlier row."))
        if not row["criterion"] or not row["code"]:
            problems.append(_("Each row has a criterion and its code."))
        elif (group, row["code"]) in codes:
            problems.append(_("Another criterion of the group has this code."))
        if row["group_max"] is not None:
            try:
                _check_criterion(
                    group_max=row["group_max"],
                    kind=row["kind"],
                    max_points=row["max_points"],
                    formula=row["formula"],
                )
            except ValidationError as error:
                problems.extend(
                    message for messages in error.message_dict.values() for message in messages
                )
        if problems:
            result.errors.extend((number, problem) for problem in problems)
            continue
        groups.setdefault(group, (row["group_title"], row["group_max"]))
        codes.add((group, row["code"]))
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append((1, _("The file has no criterion.")))
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        locked = lock_year(bloc_year)
        guard_table_open(locked)
        _replace(locked, result.rows)
    result.imported = True
    return result
