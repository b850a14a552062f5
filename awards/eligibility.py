"""Eligibility by law: small named rules evaluated against a nominee's record.

Each rule reads a `Record` (the facts loaded by `awards.selectors.record.nominee_record`) and
answers met, not met or unknown with a reason that names the years. The engine never touches the
database, so tests feed it records directly, one table row per case.

Conventions shared by the rules:
- The year of a nomination is the year of the achievement (ratings and titles of that year).
- The award history is authoritative: an award that is not in it was not received (not met).
  A missing task rating is only unknown, unless another year already fails the rule.
- An award the same nominee is still being considered for (another live nomination) makes a
  rule that needs it unknown rather than not met.
- Initiatives count only when the nomination relies on them, within the rule's window of
  years, and at the scope asked for or wider.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from awards.models import Initiative, TaskRating

# Award codes the rules refer to: they are fixed by the law, not by the catalogue's data.
LDTT, CSTDCS, CSTD_BO, CSTDTQ = "LDTT", "CSTDCS", "CSTD_BO", "CSTDTQ"
TTLDTT, TTLDXS, CO_BO = "TTLDTT", "TTLDXS", "CO_BO"
BK_BO, BK_TTG = "BK_BO", "BK_TTG"

DEFAULT_SHORT_NAMES = {
    LDTT: "LĐTT",
    CSTDCS: "CSTĐCS",
    CSTD_BO: "CSTĐ Bộ",
    CSTDTQ: "CSTĐTQ",
    TTLDTT: "TTLĐTT",
    TTLDXS: "TTLĐXS",
    CO_BO: "Cờ thi đua Bộ",
    BK_BO: "Bằng khen Bộ",
    BK_TTG: "Bằng khen Thủ tướng",
}

GOOD_RATINGS = {TaskRating.Rating.EXCELLENT, TaskRating.Rating.GOOD}
COMPLETED_RATINGS = GOOD_RATINGS | {TaskRating.Rating.COMPLETED}
# CSTĐ Bộ covers three years, so "two consecutive CSTĐ Bộ" are three years apart.
CSTD_BO_CYCLE = 3

Kind = Literal["person", "unit"]


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


# --- The record a rule reads -------------------------------------------------------------


@dataclass(frozen=True)
class RatingFact:
    year: int
    rating: str
    disciplined: bool = False
    discipline_level: str = ""
    pending: str = ""


@dataclass(frozen=True)
class GrantFact:
    year: int
    award_code: str


@dataclass(frozen=True)
class InitiativeFact:
    pk: int
    title: str
    scope: str
    recognised_on: datetime.date
    used_by_id: int | None = None


@dataclass(frozen=True)
class MembersFact:
    """The unit's people on the roster and their record for the nomination's year."""

    total: int
    rated: int = 0
    completed: int = 0  # rated HT or better
    ldtt: int = 0  # holding LĐTT for the year
    cstdcs: int = 0  # holding CSTĐCS for the year
    disciplined_serious: int = 0  # disciplined at cảnh cáo or above in the year


@dataclass(frozen=True)
class RegistrationFact:
    campaign: str
    target_count: int
    target_title: str = ""


@dataclass(frozen=True)
class ProgressFact:
    """Attainment of the registered targets, once progress reports exist (see selectors)."""

    targets_met: int
    targets_total: int


@dataclass(frozen=True)
class Record:
    kind: Kind
    year: int
    nomination_id: int | None = None
    ratings: Mapping[int, RatingFact] = field(default_factory=dict)
    grants: tuple[GrantFact, ...] = ()
    initiatives: tuple[InitiativeFact, ...] = ()  # relied on by this nomination
    spare_initiatives: tuple[InitiativeFact, ...] = ()  # the nominee's, relied on by none
    pending_awards: frozenset[tuple[str, int]] = frozenset()  # the nominee's live nominations
    members: MembersFact | None = None
    bloc: str = ""
    registration: RegistrationFact | None = None
    progress: ProgressFact | None = None
    award_names: Mapping[str, str] = field(default_factory=dict)

    def name(self, code: str) -> str:
        return self.award_names.get(code) or DEFAULT_SHORT_NAMES.get(code, code)

    def grant_years(self, code: str) -> set[int]:
        return {grant.year for grant in self.grants if grant.award_code == code}

    def is_pending(self, code: str, year: int) -> bool:
        return (code, year) in self.pending_awards


# --- Messages rendered in every language ---------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A translatable message and its parameters, rendered later in any language."""

    message: Promise | str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self) -> str:
        if not self.params:
            return str(self.message)
        return self.message % {key: _render(value) for key, value in self.params.items()}


def _render(value: object) -> object:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return ", ".join(str(_render(item)) for item in items) if items else str(_("none"))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Promise):
        return str(value)
    return value


def in_every_language(render: Callable[[], str]) -> dict[str, str]:
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = render()
    return result


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reasons: tuple[Text, ...]


def met(message, **params) -> Result:
    return Result(Outcome.MET, (Text(message, params),))


def not_met(message, *extra: Text, **params) -> Result:
    return Result(Outcome.NOT_MET, (Text(message, params), *extra))


def unknown(message, *extra: Text, **params) -> Result:
    return Result(Outcome.UNKNOWN, (Text(message, params), *extra))


# --- The rule registry -------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str
    title: Promise
    basis: Promise
    applies_to: frozenset[str]
    params: Mapping[str, int]
    check: Callable[[Record, Mapping[str, int]], Result]


RULES: dict[str, Rule] = {}
# Checked for every award, whatever its catalogue entry says.
GENERAL_RULES = ("initiatives_unused", "no_pending_matter")
BOTH: tuple[Kind, ...] = ("person", "unit")


def rule(code: str, *, title, basis, applies_to: Iterable[Kind] = BOTH, params=None):
    def register(check):
        RULES[code] = Rule(code, title, basis, frozenset(applies_to), dict(params or {}), check)
        return check

    return register


# --- Small helpers -----------------------------------------------------------------------


def _window(last: int, length: int) -> list[int]:
    return list(range(last - length + 1, last + 1))


def _relied_on(record: Record, *, reach: str, first: int, last: int) -> list[InitiativeFact]:
    """Initiatives this nomination relies on, of the scope asked for or wider, in the years."""
    minimum = Initiative.reach(reach)
    return [
        item
        for item in record.initiatives
        if Initiative.reach(item.scope) >= minimum
        and first <= item.recognised_on.year <= last
        and item.used_by_id in (None, record.nomination_id)
    ]


def _spare_hint(record: Record, *, reach: str, first: int, last: int) -> tuple[Text, ...]:
    """Points at the nominee's unused initiatives that would satisfy the rule."""
    minimum = Initiative.reach(reach)
    titles = [
        f"“{item.title}”"
        for item in record.spare_initiatives
        if Initiative.reach(item.scope) >= minimum and first <= item.recognised_on.year <= last
    ]
    if not titles:
        return ()
    return (
        Text(_("The nominee has unused initiatives that qualify: %(titles)s."), {"titles": titles}),
    )


def _initiative_met(item: InitiativeFact) -> Result:
    return met(
        _("Initiative “%(title)s” (%(scope)s, recognised %(date)s) is relied on."),
        title=item.title,
        scope=Initiative.Scope(item.scope).label,
        date=item.recognised_on,
    )


def _no_rating(year: int) -> Result:
    return unknown(_("No task rating for %(year)s in the record."), year=year)


# --- Individual titles (Law Art 21–24) -----------------------------------------------------


@rule(
    "rating_good_or_better",
    title=_("Rated HTT or HTXS for the year"),
    basis=_("Law on Emulation and Commendation, Art. 24"),
)
def rating_good_or_better(record: Record, params) -> Result:
    rating = record.ratings.get(record.year)
    if rating is None:
        return _no_rating(record.year)
    if rating.rating in GOOD_RATINGS:
        return met(_("Rated %(rating)s in %(year)s."), rating=rating.rating, year=record.year)
    return not_met(
        _("Rated %(rating)s in %(year)s — needs HTT or HTXS."),
        rating=rating.rating,
        year=record.year,
    )


@rule(
    "rating_excellent",
    title=_("Rated HTXS for the year"),
    basis=_("Provincial rule mirroring Law Art. 27 (unconfirmed)"),
)
def rating_excellent(record: Record, params) -> Result:
    rating = record.ratings.get(record.year)
    if rating is None:
        return _no_rating(record.year)
    if rating.rating == TaskRating.Rating.EXCELLENT:
        return met(_("Rated %(rating)s in %(year)s."), rating=rating.rating, year=record.year)
    return not_met(
        _("Rated %(rating)s in %(year)s — needs HTXS."), rating=rating.rating, year=record.year
    )


@rule(
    "not_disciplined",
    title=_("Not disciplined in the year"),
    basis=_("Law on Emulation and Commendation, Art. 24"),
    applies_to=["person"],
)
def not_disciplined(record: Record, params) -> Result:
    rating = record.ratings.get(record.year)
    if rating is None:
        return unknown(
            _("No task rating for %(year)s records whether the nominee was disciplined."),
            year=record.year,
        )
    if rating.disciplined:
        return not_met(
            _("Disciplined (%(level)s) in %(year)s."),
            level=TaskRating.DisciplineLevel(rating.discipline_level).label
            if rating.discipline_level
            else "—",
            year=record.year,
        )
    return met(_("Not disciplined in %(year)s."), year=record.year)


@rule(
    "excellent_or_initiative",
    title=_("Rated HTXS, or a recognised initiative relied on"),
    basis=_("Law on Emulation and Commendation, Art. 23"),
    applies_to=["person"],
)
def excellent_or_initiative(record: Record, params) -> Result:
    year = record.year
    rating = record.ratings.get(year)
    if rating is not None and rating.rating == TaskRating.Rating.EXCELLENT:
        return met(_("Rated %(rating)s in %(year)s."), rating=rating.rating, year=year)
    relied = _relied_on(record, reach=Initiative.Scope.BASE, first=year, last=year)
    if relied:
        return _initiative_met(relied[0])
    hint = _spare_hint(record, reach=Initiative.Scope.BASE, first=year, last=year)
    if rating is None:
        return unknown(
            _("No task rating for %(year)s and no initiative recognised in %(year)s is relied on."),
            *hint,
            year=year,
        )
    return not_met(
        _(
            "Rated %(rating)s in %(year)s and no initiative recognised in %(year)s is relied on "
            "— needs HTXS or a recognised initiative."
        ),
        *hint,
        rating=rating.rating,
        year=year,
    )


def _consecutive_grants(record: Record, *, code: str, years: list[int], needs) -> Result:
    held = sorted(record.grant_years(code) & set(years))
    missing = [year for year in years if year not in held]
    name = record.name(code)
    if not missing:
        return met(_("%(award)s in %(years)s."), award=name, years=held)
    if missing == [record.year] and record.is_pending(code, record.year):
        return unknown(
            _("%(award)s in %(years)s; %(year)s is still being decided."),
            award=name,
            years=held,
            year=record.year,
        )
    if not held:
        return not_met(
            _("No %(award)s in %(needed)s — needs %(needs)s."),
            award=name,
            needed=years,
            needs=needs,
        )
    return not_met(
        _("%(award)s in %(years)s — needs %(needs)s, %(missing)s missing."),
        award=name,
        years=held,
        needs=needs,
        missing=missing,
    )


@rule(
    "three_consecutive_cstdcs",
    title=_("Three consecutive years of CSTĐCS"),
    basis=_("Law on Emulation and Commendation, Art. 22"),
    applies_to=["person"],
)
def three_consecutive_cstdcs(record: Record, params) -> Result:
    return _consecutive_grants(
        record,
        code=CSTDCS,
        years=_window(record.year, 3),
        needs=_("three consecutive years"),
    )


@rule(
    "ministry_initiative",
    title=_("An initiative of ministry-wide scope"),
    basis=_("Law on Emulation and Commendation, Art. 22"),
    applies_to=["person"],
)
def ministry_initiative(record: Record, params) -> Result:
    first, last = record.year - 2, record.year
    relied = _relied_on(record, reach=Initiative.Scope.MINISTRY, first=first, last=last)
    if relied:
        return _initiative_met(relied[0])
    return not_met(
        _(
            "No initiative of ministry or national scope recognised in %(first)s–%(last)s "
            "is relied on."
        ),
        *_spare_hint(record, reach=Initiative.Scope.MINISTRY, first=first, last=last),
        first=first,
        last=last,
    )


@rule(
    "two_consecutive_cstd_bo",
    title=_("CSTĐ Bộ twice in a row"),
    basis=_("Law on Emulation and Commendation, Art. 21"),
    applies_to=["person"],
)
def two_consecutive_cstd_bo(record: Record, params) -> Result:
    return _consecutive_grants(
        record,
        code=CSTD_BO,
        years=[record.year - CSTD_BO_CYCLE, record.year],
        needs=_("two consecutive three-year cycles"),
    )


@rule(
    "national_initiative",
    title=_("An initiative of national scope"),
    basis=_("Law on Emulation and Commendation, Art. 21"),
    applies_to=["person"],
)
def national_initiative(record: Record, params) -> Result:
    first, last = record.year - 2 * CSTD_BO_CYCLE + 1, record.year
    relied = _relied_on(record, reach=Initiative.Scope.NATIONAL, first=first, last=last)
    if relied:
        return _initiative_met(relied[0])
    return not_met(
        _("No initiative of national scope recognised in %(first)s–%(last)s is relied on."),
        *_spare_hint(record, reach=Initiative.Scope.NATIONAL, first=first, last=last),
        first=first,
        last=last,
    )


# --- Bằng khen, Huân chương (Law Art 44, 73, 74) ---------------------------------------------


@rule(
    "two_consecutive_cstdcs_or_excellent",
    title=_("Two consecutive years of CSTĐCS or of HTXS"),
    basis=_("Law on Emulation and Commendation, Art. 74.1.d"),
    applies_to=["person"],
)
def two_consecutive_cstdcs_or_excellent(record: Record, params) -> Result:
    years = _window(record.year, 2)
    name = record.name(CSTDCS)
    held = sorted(record.grant_years(CSTDCS) & set(years))
    if held == years:
        return met(_("%(award)s in %(years)s."), award=name, years=held)
    excellent = [
        year
        for year in years
        if year in record.ratings and record.ratings[year].rating == TaskRating.Rating.EXCELLENT
    ]
    if excellent == years:
        return met(_("Rated HTXS in %(years)s."), years=excellent)
    unrated = [year for year in years if year not in record.ratings]
    if unrated and len(excellent) + len(unrated) == len(years):
        return unknown(
            _("No task rating for %(missing)s; %(award)s in %(years)s."),
            missing=unrated,
            award=name,
            years=held,
        )
    return not_met(
        _(
            "Neither %(award)s nor HTXS in both %(first)s and %(last)s "
            "(%(award)s: %(held)s; HTXS: %(excellent)s)."
        ),
        award=name,
        first=years[0],
        last=years[-1],
        held=held,
        excellent=excellent,
    )


@rule(
    "two_unused_base_initiatives",
    title=_("Two initiatives not used before"),
    basis=_("Law on Emulation and Commendation, Art. 74.1.d"),
    applies_to=["person"],
)
def two_unused_base_initiatives(record: Record, params) -> Result:
    first, last = record.year - 1, record.year
    relied = _relied_on(record, reach=Initiative.Scope.BASE, first=first, last=last)
    titles = [f"“{item.title}”" for item in relied]
    if len(relied) >= 2:
        return met(
            ngettext_lazy(
                "%(count)s initiative recognised in %(first)s–%(last)s is relied on: %(titles)s.",
                "%(count)s initiatives recognised in %(first)s–%(last)s are relied on: %(titles)s.",
                "count",
            ),
            count=len(relied),
            first=first,
            last=last,
            titles=titles,
        )
    return not_met(
        ngettext_lazy(
            "%(count)s initiative recognised in %(first)s–%(last)s is relied on — needs two.",
            "%(count)s initiatives recognised in %(first)s–%(last)s are relied on — needs two.",
            "count",
        ),
        *_spare_hint(record, reach=Initiative.Scope.BASE, first=first, last=last),
        count=len(relied),
        first=first,
        last=last,
    )


def _since(record: Record, code: str) -> int | None:
    """The year of the latest prerequisite award before the nomination's year."""
    years = [year for year in record.grant_years(code) if year < record.year]
    return max(years) if years else None


def _no_prerequisite(record: Record, code: str) -> Result:
    return not_met(
        _("No %(award)s before %(year)s — it must come first."),
        award=record.name(code),
        year=record.year,
    )


def _good_years_after(record: Record, code: str) -> Result:
    since = _since(record, code)
    if since is None:
        return _no_prerequisite(record, code)
    years = list(range(since + 1, record.year + 1))
    name = record.name(code)
    if len(years) < 5:
        return not_met(
            _("%(award)s in %(since)s — needs five years after it, %(count)s so far."),
            award=name,
            since=since,
            count=len(years),
        )
    weak = [
        year
        for year in years
        if year in record.ratings and record.ratings[year].rating not in GOOD_RATINGS
    ]
    if weak:
        return not_met(
            _(
                "Rated below HTT in %(years)s — needs HTT or better every year since %(award)s "
                "%(since)s."
            ),
            years=weak,
            award=name,
            since=since,
        )
    unrated = [year for year in years if year not in record.ratings]
    if unrated:
        return unknown(
            _("No task rating for %(missing)s (needed every year since %(award)s %(since)s)."),
            missing=unrated,
            award=name,
            since=since,
        )
    return met(
        _("Rated HTT or better every year %(first)s–%(last)s after %(award)s %(since)s."),
        first=years[0],
        last=years[-1],
        award=name,
        since=since,
    )


def _cstdcs_after(record: Record, code: str) -> Result:
    since = _since(record, code)
    if since is None:
        return _no_prerequisite(record, code)
    held = sorted(year for year in record.grant_years(CSTDCS) if since < year <= record.year)
    params = {
        "title": record.name(CSTDCS),
        "years": held,
        "award": record.name(code),
        "since": since,
    }
    if len(held) >= 3:
        return met(_("%(title)s in %(years)s, after %(award)s %(since)s."), **params)
    return not_met(_("%(title)s in %(years)s after %(award)s %(since)s — needs three."), **params)


def _excellent_after(record: Record, code: str) -> Result:
    since = _since(record, code)
    if since is None:
        return _no_prerequisite(record, code)
    years = range(since + 1, record.year + 1)
    excellent = [
        year
        for year in years
        if year in record.ratings and record.ratings[year].rating == TaskRating.Rating.EXCELLENT
    ]
    name = record.name(code)
    if excellent:
        return met(
            _("Rated HTXS in %(years)s, after %(award)s %(since)s."),
            years=excellent,
            award=name,
            since=since,
        )
    unrated = [year for year in years if year not in record.ratings]
    if unrated:
        return unknown(
            _("No HTXS recorded after %(award)s %(since)s; no task rating for %(missing)s."),
            award=name,
            since=since,
            missing=unrated,
        )
    return not_met(
        _("No HTXS after %(award)s %(since)s — needs at least one."), award=name, since=since
    )


@rule(
    "five_good_years_after_bk_bo",
    title=_("Bằng khen Bộ, then five consecutive years rated HTT or better"),
    basis=_("Law on Emulation and Commendation, Art. 73.1.b"),
    applies_to=["person"],
)
def five_good_years_after_bk_bo(record: Record, params) -> Result:
    return _good_years_after(record, BK_BO)


@rule(
    "three_cstdcs_after_bk_bo",
    title=_("Three CSTĐCS since the Bằng khen Bộ"),
    basis=_("Law on Emulation and Commendation, Art. 73.1.b"),
    applies_to=["person"],
)
def three_cstdcs_after_bk_bo(record: Record, params) -> Result:
    return _cstdcs_after(record, BK_BO)


@rule(
    "five_good_years_after_bk_ttg",
    title=_("Bằng khen Thủ tướng, then five consecutive years rated HTT or better"),
    basis=_("Law on Emulation and Commendation, Art. 44.1.e"),
    applies_to=["person"],
)
def five_good_years_after_bk_ttg(record: Record, params) -> Result:
    return _good_years_after(record, BK_TTG)


@rule(
    "excellent_year_after_bk_ttg",
    title=_("At least one year HTXS since the Bằng khen Thủ tướng"),
    basis=_("Law on Emulation and Commendation, Art. 44.1.e"),
    applies_to=["person"],
)
def excellent_year_after_bk_ttg(record: Record, params) -> Result:
    return _excellent_after(record, BK_TTG)


@rule(
    "three_cstdcs_after_bk_ttg",
    title=_("Three CSTĐCS since the Bằng khen Thủ tướng"),
    basis=_("Law on Emulation and Commendation, Art. 44.1.e"),
    applies_to=["person"],
)
def three_cstdcs_after_bk_ttg(record: Record, params) -> Result:
    return _cstdcs_after(record, BK_TTG)


# --- Collective titles ---------------------------------------------------------------------


def _members(record: Record) -> MembersFact | Result:
    members = record.members
    if members is None or members.total == 0:
        return unknown(_("The unit has no member on the roster."))
    if members.rated == 0 and members.ldtt == 0 and members.cstdcs == 0:
        return unknown(
            _("No member of the unit has a rating or a title for %(year)s in the record."),
            year=record.year,
        )
    return members


@rule(
    "members_ldtt_majority",
    title=_("More than half of the members are LĐTT"),
    basis=_("Unconfirmed rule for TTLĐTT"),
    applies_to=["unit"],
    params={"ldtt_above_percent": 50},
)
def members_ldtt_majority(record: Record, params) -> Result:
    members = _members(record)
    if isinstance(members, Result):
        return members
    percent = params["ldtt_above_percent"]
    values = {
        "count": members.ldtt,
        "total": members.total,
        "year": record.year,
        "percent": percent,
        "title": record.name(LDTT),
    }
    if members.ldtt * 100 > percent * members.total:
        return met(
            _(
                "%(count)s of %(total)s members are %(title)s for %(year)s (more than "
                "%(percent)s%% needed)."
            ),
            **values,
        )
    return not_met(
        _(
            "%(count)s of %(total)s members are %(title)s for %(year)s — more than %(percent)s%% "
            "needed."
        ),
        **values,
    )


@rule(
    "members_ldtt_share",
    title=_("A share of the members are LĐTT"),
    basis=_("Provincial rule mirroring Law Art. 27 (unconfirmed)"),
    applies_to=["unit"],
    params={"ldtt_min_percent": 70},
)
def members_ldtt_share(record: Record, params) -> Result:
    members = _members(record)
    if isinstance(members, Result):
        return members
    percent = params["ldtt_min_percent"]
    values = {
        "count": members.ldtt,
        "total": members.total,
        "year": record.year,
        "percent": percent,
        "title": record.name(LDTT),
    }
    if members.ldtt * 100 >= percent * members.total:
        return met(
            _(
                "%(count)s of %(total)s members are %(title)s for %(year)s (at least "
                "%(percent)s%% needed)."
            ),
            **values,
        )
    return not_met(
        _(
            "%(count)s of %(total)s members are %(title)s for %(year)s — at least %(percent)s%% "
            "needed."
        ),
        **values,
    )


@rule(
    "members_all_complete",
    title=_("Every member completed their tasks"),
    basis=_("Provincial rule mirroring Law Art. 27 (unconfirmed)"),
    applies_to=["unit"],
    params={"complete_min_percent": 100},
)
def members_all_complete(record: Record, params) -> Result:
    members = _members(record)
    if isinstance(members, Result):
        return members
    percent = params["complete_min_percent"]
    if members.completed * 100 >= percent * members.total:
        return met(
            _("%(count)s of %(total)s members completed their tasks in %(year)s."),
            count=members.completed,
            total=members.total,
            year=record.year,
        )
    unrated = members.total - members.rated
    if (members.completed + unrated) * 100 >= percent * members.total:
        return unknown(
            _("%(rated)s of %(total)s members are rated for %(year)s."),
            rated=members.rated,
            total=members.total,
            year=record.year,
        )
    return not_met(
        _("%(count)s of %(total)s members did not complete their tasks in %(year)s."),
        count=members.rated - members.completed,
        total=members.total,
        year=record.year,
    )


@rule(
    "members_have_cstdcs",
    title=_("At least one member is CSTĐCS"),
    basis=_("Provincial rule mirroring Law Art. 27 (unconfirmed)"),
    applies_to=["unit"],
    params={"cstdcs_min_count": 1},
)
def members_have_cstdcs(record: Record, params) -> Result:
    members = _members(record)
    if isinstance(members, Result):
        return members
    values = {
        "count": members.cstdcs,
        "title": record.name(CSTDCS),
        "year": record.year,
        "minimum": params["cstdcs_min_count"],
    }
    if members.cstdcs >= params["cstdcs_min_count"]:
        return met(
            ngettext_lazy(
                "%(count)s member is %(title)s for %(year)s.",
                "%(count)s members are %(title)s for %(year)s.",
                "count",
            ),
            **values,
        )
    return not_met(
        ngettext_lazy(
            "%(count)s member is %(title)s for %(year)s — needs at least %(minimum)s.",
            "%(count)s members are %(title)s for %(year)s — needs at least %(minimum)s.",
            "count",
        ),
        **values,
    )


@rule(
    "nobody_disciplined_warning",
    title=_("Nobody disciplined at cảnh cáo or above"),
    basis=_("Unconfirmed rule for TTLĐTT and TTLĐXS"),
    applies_to=["unit"],
)
def nobody_disciplined_warning(record: Record, params) -> Result:
    warning = TaskRating.severity(TaskRating.DisciplineLevel.WARNING)
    own = record.ratings.get(record.year)
    if own is not None and TaskRating.severity(own.discipline_level) >= warning:
        return not_met(
            _("The unit was disciplined (%(level)s) in %(year)s."),
            level=TaskRating.DisciplineLevel(own.discipline_level).label,
            year=record.year,
        )
    members = record.members or MembersFact(total=0)
    if members.disciplined_serious:
        return not_met(
            ngettext_lazy(
                "%(count)s member was disciplined at cảnh cáo or above in %(year)s.",
                "%(count)s members were disciplined at cảnh cáo or above in %(year)s.",
                "count",
            ),
            count=members.disciplined_serious,
            year=record.year,
        )
    if members.rated < members.total:
        return unknown(
            _(
                "%(rated)s of %(total)s members are rated for %(year)s; nobody rated was "
                "disciplined at cảnh cáo or above."
            ),
            rated=members.rated,
            total=members.total,
            year=record.year,
        )
    if own is None and members.total == 0:
        return unknown(
            _("No task rating for %(year)s records whether the unit was disciplined."),
            year=record.year,
        )
    return met(_("Nobody was disciplined at cảnh cáo or above in %(year)s."), year=record.year)


@rule(
    "leads_bloc",
    title=_("Leads its emulation bloc"),
    basis=_("Circular 22/2023/TT-BCT, Art. 6"),
    applies_to=["unit"],
)
def leads_bloc(record: Record, params) -> Result:
    if not record.bloc:
        return not_met(_("The unit belongs to no emulation bloc."))
    return unknown(
        _(
            "The ranking of the bloc “%(bloc)s” is not recorded: the board checks that the unit "
            "leads it."
        ),
        bloc=record.bloc,
    )


@rule(
    "exceeds_targets",
    title=_("Exceeds its registered targets"),
    basis=_("Circular 22/2023/TT-BCT, Art. 6"),
    applies_to=["unit"],
)
def exceeds_targets(record: Record, params) -> Result:
    registration = record.registration
    if registration is None:
        return not_met(_("No emulation registration for %(year)s."), year=record.year)
    if registration.target_count == 0:
        return not_met(_("The registration for %(year)s has no targets."), year=record.year)
    progress = record.progress
    if progress is None:
        return unknown(
            _(
                "%(count)s targets registered for %(year)s; the board checks the results against "
                "them."
            ),
            count=registration.target_count,
            year=record.year,
        )
    if progress.targets_met >= progress.targets_total:
        return met(
            _("All %(total)s targets for %(year)s met or exceeded."),
            total=progress.targets_total,
            year=record.year,
        )
    return not_met(
        _("%(count)s of %(total)s targets for %(year)s met."),
        count=progress.targets_met,
        total=progress.targets_total,
        year=record.year,
    )


@rule(
    "holds_ttldxs",
    title=_("TTLĐXS for the year"),
    basis=_("Circular 22/2023/TT-BCT, Art. 6"),
    applies_to=["unit"],
)
def holds_ttldxs(record: Record, params) -> Result:
    name = record.name(TTLDXS)
    if record.year in record.grant_years(TTLDXS):
        return met(_("%(award)s for %(year)s."), award=name, year=record.year)
    if record.is_pending(TTLDXS, record.year):
        return unknown(
            _("%(award)s for %(year)s is still being decided."), award=name, year=record.year
        )
    return not_met(_("No %(award)s for %(year)s."), award=name, year=record.year)


# --- General rules (Law Art 5, NĐ 152 Art 4) ------------------------------------------------


@rule(
    "initiatives_unused",
    title=_("Each initiative supports one award only"),
    basis=_("Law on Emulation and Commendation, Art. 5"),
)
def initiatives_unused(record: Record, params) -> Result:
    reused = [
        f"“{item.title}”"
        for item in record.initiatives
        if item.used_by_id not in (None, record.nomination_id)
    ]
    if reused:
        return not_met(
            _(
                "Already relied on by another nomination: %(titles)s — an initiative supports one "
                "award only."
            ),
            titles=reused,
        )
    if not record.initiatives:
        return met(_("No initiative is relied on."))
    return met(
        ngettext_lazy(
            "%(count)s initiative relied on, used by no other nomination.",
            "%(count)s initiatives relied on, used by no other nomination.",
            "count",
        ),
        count=len(record.initiatives),
    )


@rule(
    "no_pending_matter",
    title=_("No discipline, investigation or complaint pending"),
    basis=_("Decree 152/2025/NĐ-CP, Art. 4"),
)
def no_pending_matter(record: Record, params) -> Result:
    pending = sorted(
        (
            rating
            for rating in record.ratings.values()
            if rating.year >= record.year and rating.pending
        ),
        key=lambda rating: rating.year,
    )
    if pending:
        latest = pending[-1]
        return not_met(
            _("%(matter)s (recorded for %(year)s): no award while it is pending."),
            matter=TaskRating.Pending(latest.pending).label,
            year=latest.year,
        )
    if record.year not in record.ratings:
        return unknown(
            _("No task rating for %(year)s records whether a matter is pending."),
            year=record.year,
        )
    return met(_("No discipline, investigation or complaint pending."))


# --- The engine ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    rule: Rule
    result: Result

    @property
    def outcome(self) -> Outcome:
        return self.result.outcome


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    lines: tuple[Line, ...]
    notes: tuple[Text, ...]

    def line(self, code: str) -> Line:
        return next(line for line in self.lines if line.rule.code == code)

    def snapshot(self, *, award_code: str, year: int) -> dict:
        """A JSON document of the evaluation, its texts rendered in every language."""
        return {
            "outcome": str(self.outcome),
            "award": award_code,
            "year": year,
            "evaluated_at": timezone.now().isoformat(timespec="seconds"),
            "lines": [
                {
                    "code": line.rule.code,
                    "outcome": str(line.outcome),
                    "title": in_every_language(lambda line=line: str(line.rule.title)),
                    "basis": in_every_language(lambda line=line: str(line.rule.basis)),
                    "reason": in_every_language(
                        lambda line=line: " ".join(text.render() for text in line.result.reasons)
                    ),
                }
                for line in self.lines
            ],
            "notes": [in_every_language(note.render) for note in self.notes],
        }


def rule_params_for(rule_: Rule, overrides: Mapping[str, int] | None) -> dict[str, int]:
    overrides = overrides or {}
    return {key: int(overrides.get(key, default)) for key, default in rule_.params.items()}


def evaluate(
    record: Record, *, rule_codes: Iterable[str], rule_params: Mapping[str, int] | None = None
) -> Evaluation:
    """Run the award's rules that apply to this kind of nominee, then the general rules."""
    specific = [RULES[code] for code in rule_codes if code in RULES and code not in GENERAL_RULES]
    applicable = [item for item in specific if record.kind in item.applies_to]
    notes: list[Text] = []
    if not specific:
        notes.append(
            Text(
                _(
                    "The reference has no checkable criterion for this award: the board assesses "
                    "the dossier."
                )
            )
        )
    elif not applicable:
        notes.append(
            Text(
                _(
                    "The criteria of this award in the reference are for individuals: the board "
                    "assesses a collective's dossier."
                )
                if record.kind == "unit"
                else _(
                    "The criteria of this award in the reference are for collectives: the board "
                    "assesses an individual's dossier."
                )
            )
        )
    lines = tuple(
        Line(item, item.check(record, rule_params_for(item, rule_params)))
        for item in [*applicable, *(RULES[code] for code in GENERAL_RULES)]
    )
    outcomes = {line.outcome for line in lines}
    if Outcome.NOT_MET in outcomes:
        outcome = Outcome.NOT_MET
    elif Outcome.UNKNOWN in outcomes:
        outcome = Outcome.UNKNOWN
    else:
        outcome = Outcome.MET
    return Evaluation(outcome, lines, tuple(notes))


def validate_rule_setup(
    *, rule_codes: object, rule_params: object, recipient: str
) -> dict[str, list[str]]:
    """Checks an award type's rule codes and parameters; returns errors by field."""
    errors: dict[str, list[str]] = {}
    if not isinstance(rule_codes, list) or not all(isinstance(code, str) for code in rule_codes):
        return {"rule_codes": [_('Give a list of rule codes, e.g. ["rating_good_or_better"].')]}
    unknown_codes = [code for code in rule_codes if code not in RULES or code in GENERAL_RULES]
    if unknown_codes:
        errors["rule_codes"] = [
            _("Unknown rule codes: %(codes)s. Known: %(known)s.")
            % {
                "codes": ", ".join(unknown_codes),
                "known": ", ".join(sorted(set(RULES) - set(GENERAL_RULES))),
            }
        ]
    kinds = {"individual": {"person"}, "collective": {"unit"}, "both": {"person", "unit"}}.get(
        recipient, set()
    )
    misfits = [
        code for code in rule_codes if code in RULES and not (RULES[code].applies_to & kinds)
    ]
    if misfits:
        errors.setdefault("rule_codes", []).append(
            _("These rules do not apply to this kind of recipient: %(codes)s.")
            % {"codes": ", ".join(misfits)}
        )
    if not isinstance(rule_params, dict):
        errors["rule_params"] = [
            _('Give an object of whole numbers, e.g. {"ldtt_min_percent": 70}.')
        ]
        return errors
    declared = {key for code in rule_codes if code in RULES for key in RULES[code].params}
    for key, value in rule_params.items():
        if key not in declared:
            errors.setdefault("rule_params", []).append(
                _("“%(key)s” is not a parameter of this award's rules.") % {"key": key}
            )
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            errors.setdefault("rule_params", []).append(
                _("“%(key)s” must be a whole number from 0 to 100.") % {"key": key}
            )
    return errors
