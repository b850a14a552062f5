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
- Nothing the program cannot check is "met": a criterion that needs a judgement (an
  outstanding achievement, a decision of another level) is a rule answering unknown "for the
  council to judge", and an award with no checkable rule is unknown, never met.

The day evaluated (`evaluate(..., on=day)`): the nomination's submission day, today for a
draft. A rule carries dated citations (Law 06/2022/QH15 from 01/01/2024; Decree 98/2023/NĐ-CP
until 30/06/2025, Decree 152/2025/NĐ-CP from 01/07/2025; Circular 22/2023/TT-BCT until it is
replaced, unconfirmed) and may itself be in force for a period only; the evaluation uses the
rules and cites the texts in force on that day. Open matters are judged on that day too: a
matter blocks when it was opened on or before the day and not resolved by then.

Discipline (Law Art 5, NĐ 152 Art 4): a year relied on must be clean. A CSTĐCS year in which
the nominee was disciplined does not count toward a chain (CSTĐ Bộ, Bằng khen Thủ tướng,
Huân chương); `not_disciplined_in_period` checks the whole achievement period of the award.

One achievement, one award (Law Art 5.2; NĐ 98 Art 30.9, kept by NĐ 152 [U]). The achievement
period of a grant is derived from the award and its year, as the law defines each award on a
fixed run of years ending with the year of the award (`ACHIEVEMENT_YEARS`):
- CSTĐ Bộ of year Y relied on Y-2..Y (three CSTĐCS years);
- CSTĐTQ of year Y relied on Y-5..Y (two CSTĐ Bộ cycles);
- Bằng khen Bộ of year Y relied on Y-1..Y (two years);
- Bằng khen Thủ tướng and Huân chương Lao động of year Y relied on Y-4..Y (five years).
Years inside the period of an earlier award of the same chain cannot be relied on again by the
next award of that chain; the reason names the years and the award that used them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from awards.models import Initiative, OpenMatter, TaskRating

logger = logging.getLogger(__name__)

# Award codes the rules refer to: they are fixed by the law, not by the catalogue's data.
LDTT, CSTDCS, CSTD_BO, CSTDTQ = "LDTT", "CSTDCS", "CSTD_BO", "CSTDTQ"
TTLDTT, TTLDXS, CO_BO = "TTLDTT", "TTLDXS", "CO_BO"
BK_BO, BK_TTG = "BK_BO", "BK_TTG"
HCLD_3, HCLD_2, HCLD_1 = "HCLD_3", "HCLD_2", "HCLD_1"

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
    HCLD_3: "HCLĐ hạng Ba",
}

# The run of years an award of a year relied on, ending with that year (see the docstring).
ACHIEVEMENT_YEARS = {CSTD_BO: 3, CSTDTQ: 6, BK_BO: 2, BK_TTG: 5, HCLD_3: 5, HCLD_2: 5, HCLD_1: 5}
# Individual titles held for a year that include a lower one of the same year: a CSTĐCS of the
# year is also LĐTT (Law Art 23), a CSTĐ Bộ or CSTĐTQ of the year was CSTĐCS that year.
AT_LEAST_LDTT = frozenset({LDTT, CSTDCS, CSTD_BO, CSTDTQ})
AT_LEAST_CSTDCS = frozenset({CSTDCS, CSTD_BO, CSTDTQ})

LAW_IN_FORCE = datetime.date(2024, 1, 1)
DECREE_98_UNTIL = datetime.date(2025, 6, 30)
DECREE_152_FROM = datetime.date(2025, 7, 1)

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


@dataclass(frozen=True)
class GrantFact:
    year: int
    award_code: str


@dataclass(frozen=True)
class MatterFact:
    """An investigation, inspection, complaint or discipline procedure (`OpenMatter`)."""

    kind: str
    opened_on: datetime.date
    closed_on: datetime.date | None = None
    summary: str = ""

    def open_on(self, day: datetime.date) -> bool:
        """Opened on or before the day and not resolved by then (resolved that day: not open)."""
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


@dataclass(frozen=True)
class InitiativeFact:
    pk: int
    title: str
    scope: str
    recognised_on: datetime.date
    used_by_id: int | None = None


@dataclass(frozen=True)
class MembersFact:
    """The unit's staff of the nomination's year and their record for that year.

    The staff of the year are read by the selector (`awards.selectors.record`), not today's
    roster. A member holding a higher individual title of the year counts for the lower one.
    """

    total: int
    rated: int = 0
    completed: int = 0  # rated HT or better
    ldtt: int = 0  # holding LĐTT for the year, or CSTĐCS, CSTĐ Bộ, CSTĐTQ
    cstdcs: int = 0  # holding CSTĐCS for the year, or CSTĐ Bộ, CSTĐTQ
    disciplined_serious: int = 0  # disciplined at cảnh cáo or above in the year


@dataclass(frozen=True)
class RegistrationFact:
    campaign: str
    target_count: int
    target_title: str = ""


@dataclass(frozen=True)
class ProgressFact:
    """Attainment of the registered targets, once progress reports exist (see selectors).

    Counted from the results themselves, not the dashboard's attainment (capped at 100 %):
    `targets_exceeded` are above target (below it for a lower-is-better indicator),
    `targets_met` at or above it, `unreported` have no result yet.
    """

    targets_met: int
    targets_total: int
    targets_exceeded: int | None = None  # None: the record cannot tell (an old caller)
    unreported: int = 0


@dataclass(frozen=True)
class BlocStandingFact:
    """The unit's place in its bloc's published ranking of the year (blocs app) and the flags
    the bloc's year-end vote proposed it for."""

    bloc: str
    rank: int
    ranked: int
    proposed: frozenset[str] = frozenset()


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
    bloc_standing: BlocStandingFact | None = None
    registration: RegistrationFact | None = None
    progress: ProgressFact | None = None
    matters: tuple[MatterFact, ...] = ()
    award_names: Mapping[str, str] = field(default_factory=dict)
    on: datetime.date | None = None  # the day evaluated; set by `evaluate`

    def name(self, code: str) -> str:
        return self.award_names.get(code) or DEFAULT_SHORT_NAMES.get(code, code)

    def grant_years(self, code: str) -> set[int]:
        return {grant.year for grant in self.grants if grant.award_code == code}

    def is_pending(self, code: str, year: int) -> bool:
        return (code, year) in self.pending_awards

    @property
    def day(self) -> datetime.date:
        return self.on or timezone.localdate()

    def disciplined_years(self, years: Iterable[int]) -> list[int]:
        return sorted(
            year for year in years if year in self.ratings and self.ratings[year].disciplined
        )

    def used_by_earlier(self, code: str, years: Iterable[int]) -> dict[int, int]:
        """{year: grant year} for the years already relied on by an earlier award `code`."""
        length = ACHIEVEMENT_YEARS.get(code, 1)
        used: dict[int, int] = {}
        for grant_year in sorted(self.grant_years(code)):
            if grant_year >= self.year:
                continue
            for year in years:
                if grant_year - length < year <= grant_year:
                    used[year] = grant_year
        return used


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
    if isinstance(value, Text):
        return value.render()
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
class Citation:
    """A legal text a rule rests on, and the days it is in force (None: open-ended)."""

    text: Promise | str
    since: datetime.date | None = None
    until: datetime.date | None = None
    unconfirmed: bool = False

    def in_force(self, day: datetime.date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def render(self) -> str:
        text = str(self.text)
        if self.unconfirmed:
            text = str(_("%(text)s (unconfirmed)") % {"text": text})
        return text

    def as_json(self) -> dict:
        return {
            "text": in_every_language(self.render),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "unconfirmed": self.unconfirmed,
        }


def law(text) -> Citation:
    """Law 06/2022/QH15, in force from 01/01/2024."""
    return Citation(text, since=LAW_IN_FORCE)


def decree_98(text, *, unconfirmed=False) -> Citation:
    return Citation(text, until=DECREE_98_UNTIL, unconfirmed=unconfirmed)


def decree_152(text, *, unconfirmed=False) -> Citation:
    return Citation(text, since=DECREE_152_FROM, unconfirmed=unconfirmed)


def circular_22(text) -> Citation:
    """Circular 22/2023/TT-BCT: marked expired 20/02/2025, its replacement not identified [U]."""
    return Citation(text, since=datetime.date(2023, 1, 1), unconfirmed=True)


def unconfirmed_rule(text) -> Citation:
    return Citation(text, unconfirmed=True)


@dataclass(frozen=True)
class Rule:
    code: str
    title: Promise
    citations: tuple[Citation, ...]
    applies_to: frozenset[str]
    params: Mapping[str, int]
    check: Callable[[Record, Mapping[str, int]], Result]
    since: datetime.date | None = None  # the rule itself is in force from…
    until: datetime.date | None = None  # …until (None: open-ended)

    def in_force(self, day: datetime.date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def citations_on(self, day: datetime.date) -> tuple[Citation, ...]:
        """The citations in force on the day; all of them when none is (a day before them)."""
        return tuple(item for item in self.citations if item.in_force(day)) or self.citations

    def basis_on(self, day: datetime.date) -> str:
        return "; ".join(item.render() for item in self.citations_on(day))

    @property
    def basis(self) -> str:
        return self.basis_on(timezone.localdate())


RULES: dict[str, Rule] = {}
# Checked for every award, whatever its catalogue entry says.
GENERAL_RULES = ("initiatives_unused", "no_pending_matter")
BOTH: tuple[Kind, ...] = ("person", "unit")


def rule(
    code: str,
    *,
    title,
    basis=None,
    cites: Iterable[Citation] = (),
    applies_to: Iterable[Kind] = BOTH,
    params=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
):
    citations = tuple(cites) or (law(basis),)

    def register(check):
        RULES[code] = Rule(
            code,
            title,
            citations,
            frozenset(applies_to),
            dict(params or {}),
            check,
            since,
            until,
        )
        return check

    return register


TT22_ART4 = circular_22(_("Circular 22/2023/TT-BCT, Art. 4"))
TT22_ART5 = circular_22(_("Circular 22/2023/TT-BCT, Art. 5"))
# Counting from the previous award of a chain (one achievement, one award).
COUNTING_FROM_PREVIOUS = (
    law(_("Law on Emulation and Commendation, Art. 5.2")),
    decree_98(_("Decree 98/2023/NĐ-CP, Art. 30.9")),
    decree_152(_("Decree 152/2025/NĐ-CP, keeping Decree 98/2023 Art. 30.9"), unconfirmed=True),
)
DISCIPLINE = (
    law(_("Law on Emulation and Commendation, Art. 5 (general principles)")),
    decree_98(_("Decree 98/2023/NĐ-CP (general conditions)"), unconfirmed=True),
    decree_152(_("Decree 152/2025/NĐ-CP, Art. 4")),
)


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


def _level_label(level: str) -> str:
    """The discipline level's label; odd data shows as it is, never an error."""
    if level in TaskRating.DisciplineLevel.values:
        return str(TaskRating.DisciplineLevel(level).label)
    return level or "—"


def _used_text(record: Record, code: str, used: Mapping[int, int]) -> Text:
    """Names the years an earlier award of the chain already relied on."""
    by_grant: dict[int, list[int]] = {}
    for year, grant_year in sorted(used.items()):
        by_grant.setdefault(grant_year, []).append(year)
    length = ACHIEVEMENT_YEARS.get(code, 1)
    return Text(
        _("%(years)s already relied on by %(award)s %(grants)s (one achievement, one award)."),
        {
            "years": sorted(used),
            "award": record.name(code),
            "grants": [
                f"{grant_year} ({grant_year - length + 1}–{grant_year})" for grant_year in by_grant
            ],
        },
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
    cites=(Citation(_("Provincial rule mirroring Law Art. 27 (unconfirmed)")), TT22_ART5),
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
    # Law Art 24 (LĐTT) has no discipline clause of its own: the rule comes from the general
    # principles and the Ministry's rules (unconfirmed).
    cites=(
        law(_("Law on Emulation and Commendation, Art. 5 (general principles)")),
        unconfirmed_rule(_("The Ministry's rules: Circular 22/2023/TT-BCT, Art. 3")),
    ),
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
            level=_level_label(rating.discipline_level),
            year=record.year,
        )
    return met(_("Not disciplined in %(year)s."), year=record.year)


@rule(
    "not_disciplined_in_period",
    title=_("Not disciplined in any year the award relies on"),
    cites=DISCIPLINE,
    applies_to=["person"],
    params={"discipline_years": 1},
)
def not_disciplined_in_period(record: Record, params) -> Result:
    years = _window(record.year, max(1, params["discipline_years"]))
    disciplined = record.disciplined_years(years)
    if disciplined:
        return not_met(
            _("Disciplined in %(years)s, within the years %(first)s–%(last)s the award relies on."),
            years=disciplined,
            first=years[0],
            last=years[-1],
        )
    unrated = [year for year in years if year not in record.ratings]
    if unrated:
        return unknown(
            _("No task rating for %(missing)s records whether the nominee was disciplined."),
            missing=unrated,
        )
    return met(_("Not disciplined in %(first)s–%(last)s."), first=years[0], last=years[-1])


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


def _consecutive_grants(
    record: Record, *, code: str, years: list[int], needs, chain: str
) -> Result:
    """The award `code` held in each of `years`, each year clean and not relied on already by
    an earlier award `chain` (the one being proposed)."""
    name = record.name(code)
    used = record.used_by_earlier(chain, years)
    if used:
        return not_met(
            _("%(needs)s of %(award)s after those an earlier %(chain)s relied on are needed."),
            _used_text(record, chain, used),
            needs=needs,
            award=name,
            chain=record.name(chain),
        )
    held = sorted(record.grant_years(code) & set(years))
    disciplined = record.disciplined_years(held)
    if disciplined:
        return not_met(
            _(
                "%(award)s in %(years)s, but disciplined in %(disciplined)s: a year with "
                "discipline does not count — needs %(needs)s."
            ),
            award=name,
            years=held,
            disciplined=disciplined,
            needs=needs,
        )
    missing = [year for year in years if year not in held]
    if not missing:
        # A title in the history was clean when given (it needs "not disciplined"); a rating of
        # that year recording discipline overrides it, a missing rating does not.
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
    cites=(law(_("Law on Emulation and Commendation, Art. 22")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def three_consecutive_cstdcs(record: Record, params) -> Result:
    return _consecutive_grants(
        record,
        code=CSTDCS,
        years=_window(record.year, 3),
        needs=_("three consecutive years"),
        chain=CSTD_BO,
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
    cites=(law(_("Law on Emulation and Commendation, Art. 21")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def two_consecutive_cstd_bo(record: Record, params) -> Result:
    return _consecutive_grants(
        record,
        code=CSTD_BO,
        years=[record.year - CSTD_BO_CYCLE, record.year],
        needs=_("two consecutive three-year cycles"),
        chain=CSTDTQ,
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
    cites=(law(_("Law on Emulation and Commendation, Art. 74.1.d")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def two_consecutive_cstdcs_or_excellent(record: Record, params) -> Result:
    years = _window(record.year, 2)
    name = record.name(CSTDCS)
    used = record.used_by_earlier(BK_BO, years)
    if used:
        return not_met(
            _("Needs two years after those an earlier %(chain)s relied on."),
            _used_text(record, BK_BO, used),
            chain=record.name(BK_BO),
        )
    held = sorted(set(record.grant_years(CSTDCS)) - set(record.disciplined_years(years)))
    held = [year for year in held if year in years]
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


@dataclass(frozen=True)
class _Start:
    """Where the years of a chain award start counting: after the prerequisite `code` of year
    `since`, and after the achievement period of an earlier award of the chain, if later."""

    since: int
    after: int  # the last year not counted
    award: str  # the name of what the years are counted after
    used: tuple[Text, ...] = ()


def _start(record: Record, code: str, chain: str) -> _Start | Result:
    since = _since(record, code)
    if since is None:
        return _no_prerequisite(record, code)
    earlier = [year for year in record.grant_years(chain) if since <= year < record.year]
    if earlier:
        last = max(earlier)
        used = record.used_by_earlier(chain, range(since + 1, last + 1))
        return _Start(
            since=last,
            after=last,
            award=record.name(chain),
            used=(_used_text(record, chain, used),) if used else (),
        )
    return _Start(since=since, after=since, award=record.name(code))


def _good_years_after(record: Record, code: str, chain: str) -> Result:
    start = _start(record, code, chain)
    if isinstance(start, Result):
        return start
    since, name = start.since, start.award
    years = list(range(start.after + 1, record.year + 1))
    if len(years) < 5:
        return not_met(
            _("%(award)s in %(since)s — needs five years after it, %(count)s so far."),
            *start.used,
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
            *start.used,
            years=weak,
            award=name,
            since=since,
        )
    unrated = [year for year in years if year not in record.ratings]
    if unrated:
        return unknown(
            _("No task rating for %(missing)s (needed every year since %(award)s %(since)s)."),
            *start.used,
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


def _cstdcs_after(record: Record, code: str, chain: str) -> Result:
    start = _start(record, code, chain)
    if isinstance(start, Result):
        return start
    years = range(start.after + 1, record.year + 1)
    disciplined = set(record.disciplined_years(years))
    all_held = sorted(year for year in record.grant_years(CSTDCS) if year in years)
    held = [year for year in all_held if year not in disciplined]
    params = {
        "title": record.name(CSTDCS),
        "years": held,
        "award": start.award,
        "since": start.since,
    }
    if len(held) >= 3:
        return met(_("%(title)s in %(years)s, after %(award)s %(since)s."), **params)
    extra = list(start.used)
    if len(held) < len(all_held):
        extra.append(
            Text(
                _("%(title)s of %(years)s not counted: disciplined that year."),
                {"title": record.name(CSTDCS), "years": sorted(disciplined & set(all_held))},
            )
        )
    return not_met(
        _("%(title)s in %(years)s after %(award)s %(since)s — needs three."), *extra, **params
    )


def _excellent_after(record: Record, code: str, chain: str) -> Result:
    start = _start(record, code, chain)
    if isinstance(start, Result):
        return start
    since, name = start.since, start.award
    years = range(start.after + 1, record.year + 1)
    excellent = [
        year
        for year in years
        if year in record.ratings and record.ratings[year].rating == TaskRating.Rating.EXCELLENT
    ]
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
            *start.used,
            award=name,
            since=since,
            missing=unrated,
        )
    return not_met(
        _("No HTXS after %(award)s %(since)s — needs at least one."),
        *start.used,
        award=name,
        since=since,
    )


@rule(
    "five_good_years_after_bk_bo",
    title=_("Bằng khen Bộ, then five consecutive years rated HTT or better"),
    cites=(law(_("Law on Emulation and Commendation, Art. 73.1.b")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def five_good_years_after_bk_bo(record: Record, params) -> Result:
    return _good_years_after(record, BK_BO, BK_TTG)


@rule(
    "three_cstdcs_after_bk_bo",
    title=_("Three CSTĐCS since the Bằng khen Bộ"),
    cites=(law(_("Law on Emulation and Commendation, Art. 73.1.b")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def three_cstdcs_after_bk_bo(record: Record, params) -> Result:
    return _cstdcs_after(record, BK_BO, BK_TTG)


@rule(
    "five_good_years_after_bk_ttg",
    title=_("Bằng khen Thủ tướng, then five consecutive years rated HTT or better"),
    cites=(law(_("Law on Emulation and Commendation, Art. 44.1.e")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def five_good_years_after_bk_ttg(record: Record, params) -> Result:
    return _good_years_after(record, BK_TTG, HCLD_3)


@rule(
    "excellent_year_after_bk_ttg",
    title=_("At least one year HTXS since the Bằng khen Thủ tướng"),
    cites=(law(_("Law on Emulation and Commendation, Art. 44.1.e")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def excellent_year_after_bk_ttg(record: Record, params) -> Result:
    return _excellent_after(record, BK_TTG, HCLD_3)


@rule(
    "three_cstdcs_after_bk_ttg",
    title=_("Three CSTĐCS since the Bằng khen Thủ tướng"),
    cites=(law(_("Law on Emulation and Commendation, Art. 44.1.e")), *COUNTING_FROM_PREVIOUS),
    applies_to=["person"],
)
def three_cstdcs_after_bk_ttg(record: Record, params) -> Result:
    return _cstdcs_after(record, BK_TTG, HCLD_3)


# --- Criteria for the council to judge (Law Art 44.1, 73.1, 74.1) ---------------------------


def _for_the_council(look_at) -> Result:
    return unknown(_("For the council to judge: %(look_at)s"), look_at=look_at)


@rule(
    "bk_bo_other_criterion",
    title=_("Another criterion of Art. 74.1 (for the council to judge)"),
    basis=_("Law on Emulation and Commendation, Art. 74.1"),
)
def bk_bo_other_criterion(record: Record, params) -> Result:
    return _for_the_council(
        _(
            "whether the achievement meets another criterion of Law Art. 74.1 (an outstanding "
            "or unexpected achievement, or one of the other cases it lists). Look at the "
            "achievement report, its proofs and the proposing unit's assessment."
        )
    )


@rule(
    "bk_ttg_other_criterion",
    title=_("Another criterion of Art. 73.1 (for the council to judge)"),
    basis=_("Law on Emulation and Commendation, Art. 73.1"),
)
def bk_ttg_other_criterion(record: Record, params) -> Result:
    return _for_the_council(
        _(
            "whether the achievement meets another criterion of Law Art. 73.1 (an outstanding "
            "achievement recognised at ministry level, or one of the other cases it lists). "
            "Look at the achievement report, its proofs and the decisions cited."
        )
    )


@rule(
    "hcld3_other_criterion",
    title=_("Another criterion of Art. 44.1 (for the council to judge)"),
    basis=_("Law on Emulation and Commendation, Art. 44.1"),
)
def hcld3_other_criterion(record: Record, params) -> Result:
    return _for_the_council(
        _(
            "whether the achievement meets another criterion of Law Art. 44.1 (an outstanding "
            "achievement, a CSTĐTQ title, or one of the other cases it lists). Look at the "
            "achievement report, its proofs and the decisions cited."
        )
    )


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
    cites=(Citation(_("Unconfirmed rule for TTLĐTT")), TT22_ART4),
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
    cites=(Citation(_("Provincial rule mirroring Law Art. 27 (unconfirmed)")), TT22_ART5),
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
    cites=(Citation(_("Provincial rule mirroring Law Art. 27 (unconfirmed)")), TT22_ART5),
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
    cites=(Citation(_("Provincial rule mirroring Law Art. 27 (unconfirmed)")), TT22_ART5),
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
    cites=(Citation(_("Unconfirmed rule for TTLĐTT and TTLĐXS")), TT22_ART4, TT22_ART5),
    applies_to=["unit"],
)
def nobody_disciplined_warning(record: Record, params) -> Result:
    warning = TaskRating.severity(TaskRating.DisciplineLevel.WARNING)
    own = record.ratings.get(record.year)
    if own is not None and TaskRating.severity(own.discipline_level) >= warning:
        return not_met(
            _("The unit was disciplined (%(level)s) in %(year)s."),
            level=_level_label(own.discipline_level),
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
    cites=(circular_22(_("Circular 22/2023/TT-BCT, Art. 6")),),
    applies_to=["unit"],
)
def leads_bloc(record: Record, params) -> Result:
    standing = record.bloc_standing
    if standing is not None:
        if standing.proposed:
            return met(
                _(
                    "Ranked %(rank)s of %(ranked)s in the bloc “%(bloc)s” for %(year)s; the "
                    "bloc's year-end vote proposed it for %(awards)s."
                ),
                rank=standing.rank,
                ranked=standing.ranked,
                bloc=standing.bloc,
                year=record.year,
                awards=sorted(record.name(code) for code in standing.proposed),
            )
        if standing.rank == 1:
            return met(
                _("Ranked first of %(ranked)s in the bloc “%(bloc)s” for %(year)s."),
                ranked=standing.ranked,
                bloc=standing.bloc,
                year=record.year,
            )
        return not_met(
            _(
                "Ranked %(rank)s of %(ranked)s in the bloc “%(bloc)s” for %(year)s, and not "
                "proposed by the bloc's vote."
            ),
            rank=standing.rank,
            ranked=standing.ranked,
            bloc=standing.bloc,
            year=record.year,
        )
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
    cites=(circular_22(_("Circular 22/2023/TT-BCT, Art. 6")),),
    applies_to=["unit"],
)
def exceeds_targets(record: Record, params) -> Result:
    """ "Exceeds" means above target on every registered target (below it where lower is
    better): a target only reached is not exceeded. Results are read uncapped."""
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
    values = {"total": progress.targets_total, "year": record.year}
    if progress.targets_met < progress.targets_total - progress.unreported:
        return not_met(
            _("%(count)s of %(total)s targets for %(year)s met."),
            count=progress.targets_met,
            **values,
        )
    if progress.unreported:
        return unknown(
            _("No result yet for %(count)s of %(total)s targets for %(year)s."),
            count=progress.unreported,
            **values,
        )
    if progress.targets_exceeded is None:
        return unknown(
            _(
                "All %(total)s targets for %(year)s met; the record does not tell whether they "
                "were exceeded."
            ),
            **values,
        )
    if progress.targets_exceeded >= progress.targets_total:
        return met(_("All %(total)s targets for %(year)s exceeded."), **values)
    return not_met(
        _(
            "%(count)s of %(total)s targets for %(year)s exceeded; the others were only reached "
            "— exceeding means above every target."
        ),
        count=progress.targets_exceeded,
        **values,
    )


@rule(
    "holds_ttldxs",
    title=_("TTLĐXS for the year"),
    cites=(circular_22(_("Circular 22/2023/TT-BCT, Art. 6")),),
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
    cites=DISCIPLINE,
)
def no_pending_matter(record: Record, params) -> Result:
    day = record.day
    open_ = sorted(
        (matter for matter in record.matters if matter.open_on(day)),
        key=lambda matter: matter.opened_on,
    )
    if open_:
        return not_met(
            ngettext_lazy(
                "%(count)s matter open on %(day)s: %(matters)s — no award while it is open.",
                "%(count)s matters open on %(day)s: %(matters)s — no award while they are open.",
                "count",
            ),
            count=len(open_),
            day=day,
            matters=[_matter_text(matter) for matter in open_],
        )
    return met(_("No discipline, investigation or complaint open on %(day)s."), day=day)


def _matter_text(matter: MatterFact) -> Text:
    kind = (
        OpenMatter.Kind(matter.kind).label if matter.kind in OpenMatter.Kind.values else matter.kind
    )
    if matter.summary:
        return Text(
            _("%(kind)s opened %(date)s: “%(summary)s”"),
            {"kind": kind, "date": matter.opened_on, "summary": matter.summary},
        )
    return Text(_("%(kind)s opened %(date)s"), {"kind": kind, "date": matter.opened_on})


# --- The engine ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """An any-of group of the catalogue: met when one path (all its rules) is met."""

    paths: tuple[tuple[str, ...], ...]
    label: str = ""


def parse_rule_codes(rule_codes: object) -> list[str | Group]:
    """The catalogue's `rule_codes`: each item a rule code or
    {"any_of": [[codes…], [codes…]], "label": "…"}. Malformed items are skipped (the admin
    form refuses them; see `validate_rule_setup`)."""
    items: list[str | Group] = []
    for item in rule_codes if isinstance(rule_codes, list) else []:
        if isinstance(item, str):
            items.append(item)
        elif isinstance(item, dict) and isinstance(item.get("any_of"), list):
            paths = tuple(
                tuple(code for code in path if isinstance(code, str))
                for path in item["any_of"]
                if isinstance(path, list)
            )
            label = item.get("label")
            items.append(Group(paths, label if isinstance(label, str) else ""))
    return items


def _combine(outcomes: Iterable[Outcome]) -> Outcome:
    outcomes = set(outcomes)
    if Outcome.NOT_MET in outcomes:
        return Outcome.NOT_MET
    if Outcome.UNKNOWN in outcomes or not outcomes:
        return Outcome.UNKNOWN
    return Outcome.MET


@dataclass(frozen=True)
class Line:
    rule: Rule
    result: Result

    @property
    def outcome(self) -> Outcome:
        return self.result.outcome

    def as_json(self, day: datetime.date) -> dict:
        return {
            "code": self.rule.code,
            "outcome": str(self.outcome),
            "title": in_every_language(lambda: str(self.rule.title)),
            "basis": in_every_language(lambda: self.rule.basis_on(day)),
            "citations": [item.as_json() for item in self.rule.citations_on(day)],
            "reason": in_every_language(
                lambda: " ".join(text.render() for text in self.result.reasons)
            ),
        }


@dataclass(frozen=True)
class Path:
    lines: tuple[Line, ...]

    @property
    def outcome(self) -> Outcome:
        return _combine(line.outcome for line in self.lines)


@dataclass(frozen=True)
class GroupLine:
    """The lines of an any-of group: met if a path is met, not met if every path fails,
    else unknown."""

    label: str
    paths: tuple[Path, ...]

    @property
    def outcome(self) -> Outcome:
        outcomes = [path.outcome for path in self.paths]
        if Outcome.MET in outcomes:
            return Outcome.MET
        if outcomes and all(outcome == Outcome.NOT_MET for outcome in outcomes):
            return Outcome.NOT_MET
        return Outcome.UNKNOWN

    @property
    def met_path(self) -> int | None:
        return next((i for i, path in enumerate(self.paths) if path.outcome == Outcome.MET), None)

    def reason(self) -> Text:
        if self.met_path is not None:
            return Text(_("Path %(number)s is met."), {"number": self.met_path + 1})
        if self.outcome == Outcome.NOT_MET:
            return Text(_("No path is met."))
        return Text(
            _("No path is met from the record; the others are for the council to judge.")
            if any(path.outcome == Outcome.UNKNOWN for path in self.paths)
            else _("No path is met.")
        )

    def as_json(self, day: datetime.date) -> dict:
        return {
            "code": "any_of",
            "group": True,
            "outcome": str(self.outcome),
            "title": in_every_language(lambda: str(_("One of the following"))),
            "basis": {code: self.label for code, _name in settings.LANGUAGES},
            "reason": in_every_language(self.reason().render),
            "met_path": self.met_path,
            "paths": [
                {
                    "outcome": str(path.outcome),
                    "lines": [line.as_json(day) for line in path.lines],
                }
                for path in self.paths
            ],
        }


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    lines: tuple[Line | GroupLine, ...]
    notes: tuple[Text, ...]
    on: datetime.date | None = None

    def all_lines(self) -> list[Line]:
        result: list[Line] = []
        for item in self.lines:
            if isinstance(item, GroupLine):
                result += [line for path in item.paths for line in path.lines]
            else:
                result.append(item)
        return result

    def line(self, code: str) -> Line:
        return next(line for line in self.all_lines() if line.rule.code == code)

    def group(self) -> GroupLine:
        return next(item for item in self.lines if isinstance(item, GroupLine))

    def citations(self) -> list[dict]:
        """Every text applied on the day, once, in the order first met."""
        seen: dict[str, dict] = {}
        day = self.on or timezone.localdate()
        for line in self.all_lines():
            for item in line.rule.citations_on(day):
                seen.setdefault(str(item.text) + str(item.since), item.as_json())
        return list(seen.values())

    def snapshot(self, *, award_code: str, year: int) -> dict:
        """A JSON document of the evaluation, its texts rendered in every language.

        Old snapshots have flat `lines` only; a group line has `group`, `paths` and
        `met_path`; `on` is the day whose rules and citations were applied."""
        day = self.on or timezone.localdate()
        return {
            "outcome": str(self.outcome),
            "award": award_code,
            "year": year,
            "evaluated_at": timezone.now().isoformat(timespec="seconds"),
            "on": day.isoformat(),
            "lines": [item.as_json(day) for item in self.lines],
            "citations": self.citations(),
            "notes": [in_every_language(note.render) for note in self.notes],
        }


def rule_params_for(rule_: Rule, overrides: Mapping[str, int] | None) -> dict[str, int]:
    overrides = overrides if isinstance(overrides, Mapping) else {}
    params = {}
    for key, default in rule_.params.items():
        try:
            params[key] = int(overrides.get(key, default))
        except (TypeError, ValueError):
            params[key] = default
    return params


def evaluate(
    record: Record,
    *,
    rule_codes: object,
    rule_params: Mapping[str, int] | None = None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Run the award's rules in force on the day that apply to this kind of nominee (plain
    rules and any-of groups), then the general rules."""
    day = on or timezone.localdate()
    record = replace(record, on=day)
    notes: list[Text] = []
    known = False  # the catalogue names at least one rule in force
    lines: list[Line | GroupLine] = []

    def usable(code: str) -> Rule | None:
        nonlocal known
        item = RULES.get(code)
        if item is None or code in GENERAL_RULES:
            return None
        if not item.in_force(day):
            notes.append(
                Text(
                    _("The rule “%(title)s” is not in force on %(day)s: it is not applied."),
                    {"title": item.title, "day": day},
                )
            )
            return None
        known = True
        return item if record.kind in item.applies_to else None

    def run(item: Rule) -> Line:
        try:
            result = item.check(record, rule_params_for(item, rule_params))
        except Exception as error:  # odd data must never stop the page: unknown, and logged
            logger.exception("Rule %s failed on the record of year %s", item.code, record.year)
            result = unknown(
                _("The record cannot be judged by this rule (%(error)s)."),
                error=type(error).__name__,
            )
        return Line(item, result)

    for entry in parse_rule_codes(rule_codes):
        if isinstance(entry, str):
            item = usable(entry)
            if item is not None:
                lines.append(run(item))
            continue
        paths = []
        for codes in entry.paths:
            rules = [usable(code) for code in codes]
            applicable = [item for item in rules if item is not None]
            if applicable:
                paths.append(Path(tuple(run(item) for item in applicable)))
        if paths:
            lines.append(GroupLine(entry.label, tuple(paths)))
    if not lines:
        notes.append(
            Text(
                _(
                    "The reference has no checkable criterion for this award: the board assesses "
                    "the dossier."
                )
            )
            if not known
            else Text(
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
    general = [run(RULES[code]) for code in GENERAL_RULES]
    outcome = _combine(item.outcome for item in [*lines, *general])
    if not lines and outcome == Outcome.MET:
        # Nothing was checked against the award's own criteria: never "met" by default.
        outcome = Outcome.UNKNOWN
    return Evaluation(outcome, (*lines, *general), tuple(notes), day)


def _path_errors(paths: object) -> list[str]:
    if (
        not isinstance(paths, list)
        or len(paths) < 2
        or not all(
            isinstance(path, list) and path and all(isinstance(code, str) for code in path)
            for path in paths
        )
    ):
        return [
            _(
                "An any-of group needs at least two paths, each a non-empty list of rule codes, "
                'e.g. {"any_of": [["rule_a"], ["rule_b", "rule_c"]], "label": "Art. 74.1"}.'
            )
        ]
    return []


def validate_rule_setup(
    *, rule_codes: object, rule_params: object, recipient: str
) -> dict[str, list[str]]:
    """Checks an award type's rule codes (codes and any-of groups) and parameters; returns
    errors by field."""
    errors: dict[str, list[str]] = {}
    shape = _(
        'Give a list of rule codes or any-of groups, e.g. ["rating_good_or_better", '
        '{"any_of": [["rule_a"], ["rule_b"]], "label": "Art. 74.1"}].'
    )
    if not isinstance(rule_codes, list):
        return {"rule_codes": [shape]}
    codes: list[str] = []
    for item in rule_codes:
        if isinstance(item, str):
            codes.append(item)
        elif isinstance(item, dict):
            extra = set(item) - {"any_of", "label"}
            if "any_of" not in item or extra:
                errors.setdefault("rule_codes", []).append(shape)
                continue
            if "label" in item and not isinstance(item["label"], str):
                errors.setdefault("rule_codes", []).append(
                    _("The label of an any-of group is a text.")
                )
            path_errors = _path_errors(item["any_of"])
            if path_errors:
                errors.setdefault("rule_codes", []).extend(path_errors)
                continue
            codes += [code for path in item["any_of"] for code in path]
        else:
            errors.setdefault("rule_codes", []).append(shape)
    if errors:
        return errors
    unknown_codes = [code for code in codes if code not in RULES or code in GENERAL_RULES]
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
    misfits = [code for code in codes if code in RULES and not (RULES[code].applies_to & kinds)]
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
    declared = {key for code in codes if code in RULES for key in RULES[code].params}
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
