"""The registry of named indicators a computed criterion's formula may use, and the formula.

A formula is an arithmetic expression over the indicators' names, numbers, + - * /, and
min()/max(): e.g. ``10 * on_time_rate`` or ``min(5, 2 * initiatives)``. An indicator that
takes a parameter is called with a number: ``8 * objective_attainment(1)``. A formula naming
anything else is refused with a message that lists the known indicators.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Context:
    """What an indicator reads: the unit and the bloc's year (its campaign, if any)."""

    unit: object
    bloc_year: object


@dataclass(frozen=True)
class Indicator:
    name: str
    label: Promise
    compute: Callable[..., Decimal]
    takes_number: bool = False


def _owned_by(unit) -> Q:
    return Q(unit=unit) | Q(person__unit=unit)


def on_time_rate(ctx: Context) -> Decimal:
    """Share (0 to 1) of the periods due in the year, up to today, that the unit reported on
    by the due date."""
    from campaigns.models import ProgressReport, ReportingPeriod

    year = ctx.bloc_year.year
    today = timezone.localdate()
    periods = ReportingPeriod.objects.filter(
        due_on__year=year, due_on__lte=today, campaign__participations__unit=ctx.unit
    )
    if ctx.bloc_year.campaign_id:
        periods = periods.filter(campaign_id=ctx.bloc_year.campaign_id)
    due = periods.count()
    if not due:
        return Decimal(0)
    on_time = ProgressReport.objects.filter(
        unit=ctx.unit, period__in=periods, first_submitted_at__isnull=False, late=False
    ).count()
    return Decimal(on_time) / Decimal(due)


def _attainments(ctx: Context) -> dict[int, float | None]:
    from campaigns.selectors.attainment import unit_attainment

    campaign = ctx.bloc_year.campaign
    if campaign is None:
        return {}
    return {
        item.objective.number: item.ratio
        for item in unit_attainment(campaign=campaign, unit_id=ctx.unit.pk, year=ctx.bloc_year.year)
    }


def objective_attainment(ctx: Context, number) -> Decimal:
    """Attainment (0 to 1) of the campaign's objective `number` by the unit in the year."""
    ratio = _attainments(ctx).get(int(number))
    return Decimal(str(min(ratio, 1.0))) if ratio is not None else Decimal(0)


def attainment(ctx: Context) -> Decimal:
    """Mean attainment (0 to 1) of the campaign's objectives by the unit in the year."""
    ratios = [min(ratio, 1.0) for ratio in _attainments(ctx).values() if ratio is not None]
    return Decimal(str(sum(ratios) / len(ratios))) if ratios else Decimal(0)


def initiatives(ctx: Context) -> Decimal:
    """Initiatives of the unit and its people recognised in the year."""
    from awards.models import Initiative

    return Decimal(
        Initiative.objects.filter(
            _owned_by(ctx.unit), recognised_on__year=ctx.bloc_year.year
        ).count()
    )


def awards_received(ctx: Context) -> Decimal:
    """Awards received by the unit and its people for the year."""
    from awards.models import AwardGrant

    return Decimal(AwardGrant.objects.filter(_owned_by(ctx.unit), year=ctx.bloc_year.year).count())


def nominations_rejected(ctx: Context) -> Decimal:
    """The unit's nominations for the year that the council rejected."""
    from awards.models import Nomination

    return Decimal(
        Nomination.objects.filter(
            proposing_unit=ctx.unit, year=ctx.bloc_year.year, status=Nomination.Status.REJECTED
        ).count()
    )


REGISTRY: dict[str, Indicator] = {
    item.name: item
    for item in (
        Indicator("on_time_rate", _("on-time reporting rate (0–1)"), on_time_rate),
        Indicator(
            "objective_attainment",
            _("attainment of objective N of the campaign (0–1)"),
            objective_attainment,
            takes_number=True,
        ),
        Indicator(
            "attainment", _("mean attainment of the campaign's objectives (0–1)"), attainment
        ),
        Indicator("initiatives", _("initiatives recognised in the year"), initiatives),
        Indicator("awards_received", _("awards received for the year"), awards_received),
        Indicator(
            "nominations_rejected", _("nominations of the year rejected"), nominations_rejected
        ),
    )
}
FUNCTIONS = {"min": min, "max": max}
OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b if b else Decimal(0),
}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"formula": message}, code="formula")


def _known() -> str:
    return ", ".join(sorted(REGISTRY))


def _walk(node: ast.AST, ctx: Context | None) -> Decimal:
    """Check (ctx None) or evaluate the formula's tree."""
    if isinstance(node, ast.Expression):
        return _walk(node.body, ctx)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Decimal(str(node.value))
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](_walk(node.left, ctx), _walk(node.right, ctx))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _walk(node.operand, ctx)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Name):
        indicator = REGISTRY.get(node.id)
        if indicator is None or indicator.takes_number:
            raise _unknown(node.id)
        return indicator.compute(ctx) if ctx is not None else Decimal(1)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name = node.func.id
        if name in FUNCTIONS and node.args:
            return FUNCTIONS[name](*(_walk(arg, ctx) for arg in node.args))
        indicator = REGISTRY.get(name)
        if indicator is None:
            raise _unknown(name)
        if not indicator.takes_number or len(node.args) != 1:
            raise _refuse(
                gettext("“%(name)s” is written without a number in brackets.") % {"name": name}
                if not indicator.takes_number
                else gettext("“%(name)s” takes one number, e.g. %(name)s(1).") % {"name": name}
            )
        argument = _walk(node.args[0], None)
        return indicator.compute(ctx, argument) if ctx is not None else Decimal(1)
    raise _refuse(
        gettext(
            "A formula uses only numbers, + - * /, brackets, min(), max() and the indicators: "
            "%(known)s."
        )
        % {"known": _known()}
    )


def _unknown(name: str) -> ValidationError:
    return _refuse(
        gettext("The formula names an unknown indicator “%(name)s”. Known indicators: %(known)s.")
        % {"name": name, "known": _known()}
    )


def _parse(formula: str) -> ast.Expression:
    if not formula.strip():
        raise _refuse(gettext("A computed criterion needs a formula."))
    try:
        return ast.parse(formula.strip(), mode="eval")
    except SyntaxError:
        raise _refuse(
            gettext("The formula “%(formula)s” cannot be read.") % {"formula": formula}
        ) from None


def check_formula(formula: str) -> None:
    """Refuse (ValidationError on "formula") a formula that cannot be evaluated."""
    _walk(_parse(formula), None)


def evaluate(formula: str, *, unit, bloc_year) -> Decimal:
    try:
        return _walk(_parse(formula), Context(unit=unit, bloc_year=bloc_year))
    except (InvalidOperation, ArithmeticError):
        return Decimal(0)
