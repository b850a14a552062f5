"""Issue 12, the engine's half: discipline and open matters (point 4), one achievement one
award (3), any-of groups and nothing uncheckable "met" (5), collective shares counting higher
titles (7a), "exceeds" seeing results above 100 % (7c) and the rules and citations in force on
the day (6). Pure: records built by hand, one row per boundary, each naming its article."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import translation

from awards.eligibility import (
    RULES,
    Citation,
    MatterFact,
    MembersFact,
    Outcome,
    ProgressFact,
    RegistrationFact,
    Rule,
    evaluate,
    met,
    validate_rule_setup,
)
from tests.awards.test_eligibility import Y, initiative, rating, record, years

MET, NOT_MET, UNKNOWN = Outcome.MET, Outcome.NOT_MET, Outcome.UNKNOWN
D = datetime.date


def outcome_of(code, rec, params=None):
    rule = RULES[code]
    result = rule.check(rec, {**rule.params, **(params or {})})
    with translation.override("en"):
        return result.outcome, " ".join(text.render() for text in result.reasons)


def case(expected, code, rec, fragment, *, id, params=None):
    return pytest.param(code, rec, params, expected, fragment, id=id)


REPRIMAND = rating(disciplined=True, discipline_level="reprimand")
WARNING = rating(disciplined=True, discipline_level="warning")


# --- Point 4: discipline in every year relied on, open matters on the day ------------------

DISCIPLINE = [
    case(
        NOT_MET,
        "three_consecutive_cstdcs",
        record(grants={"CSTDCS": [Y - 2, Y - 1, Y]}, ratings={Y - 1: REPRIMAND}),
        "disciplined in 2023: a year with discipline does not count",
        id="Law Art 22 + Art 5: a CSTĐCS year with a reprimand does not count toward CSTĐ Bộ",
    ),
    case(
        MET,
        "three_consecutive_cstdcs",
        record(grants={"CSTDCS": [Y - 2, Y - 1, Y]}, ratings={Y - 3: REPRIMAND}),
        "CSTĐCS in 2022, 2023, 2024.",
        id="Law Art 22: discipline the year before the three years does not matter",
    ),
    case(
        NOT_MET,
        "three_cstdcs_after_bk_bo",
        record(
            grants={"BK_BO": [Y - 5], "CSTDCS": [Y - 2, Y - 1, Y]},
            ratings={**years(Y - 4, Y), Y: WARNING},
        ),
        "CSTĐCS of 2024 not counted: disciplined that year.",
        id="Law Art 73.1.b + Art 5: a disciplined CSTĐCS year does not count toward BK TTg",
    ),
    case(
        NOT_MET,
        "not_disciplined_in_period",
        record(ratings={**years(Y - 4, Y), Y - 4: REPRIMAND}),
        "Disciplined in 2020, within the years 2020–2024",
        id="NĐ 152 Art 4: BK TTg/HCLĐ — discipline in the first of the five years refuses",
        params={"discipline_years": 5},
    ),
    case(
        MET,
        "not_disciplined_in_period",
        record(ratings={**years(Y - 4, Y), Y - 5: REPRIMAND}),
        "Not disciplined in 2020–2024.",
        id="NĐ 152 Art 4: discipline the year before the five years does not refuse",
        params={"discipline_years": 5},
    ),
    case(
        UNKNOWN,
        "not_disciplined_in_period",
        record(ratings=years(Y - 1, Y)),
        "No task rating for 2022",
        id="NĐ 152 Art 4: a year without rating is unknown, not met",
        params={"discipline_years": 3},
    ),
]

OPENED = D(2025, 3, 10)
MATTERS = [
    case(
        NOT_MET,
        "no_pending_matter",
        record(matters=[MatterFact("complaint", D(2019, 1, 1))], on=D(2025, 5, 1)),
        "Complaint or denunciation opened",
        id="NĐ 152 Art 4: a matter still open blocks whatever year it was recorded in",
    ),
    case(
        NOT_MET,
        "no_pending_matter",
        record(matters=[MatterFact("investigation", OPENED)], on=OPENED),
        "open on",
        id="NĐ 152 Art 4: opened on the day evaluated → blocks",
    ),
    case(
        MET,
        "no_pending_matter",
        record(matters=[MatterFact("investigation", OPENED)], on=OPENED - datetime.timedelta(1)),
        "No discipline, investigation or complaint open",
        id="NĐ 152 Art 4: opened the day after the day evaluated → does not block",
    ),
    case(
        NOT_MET,
        "no_pending_matter",
        record(
            matters=[MatterFact("inspection", OPENED, D(2025, 6, 1), "Thanh tra")],
            on=D(2025, 5, 31),
        ),
        "opened 10/03/2025: “Thanh tra”",
        id="NĐ 152 Art 4: resolved the day after the day evaluated → still blocks",
    ),
    case(
        MET,
        "no_pending_matter",
        record(matters=[MatterFact("inspection", OPENED, D(2025, 6, 1))], on=D(2025, 6, 1)),
        "No discipline",
        id="NĐ 152 Art 4: resolved on the day evaluated → does not block",
    ),
    case(
        MET,
        "no_pending_matter",
        record(matters=[MatterFact("discipline", D(2020, 1, 1), D(2020, 2, 1))], on=OPENED),
        "No discipline",
        id="NĐ 152 Art 4: a matter closed years ago does not block",
    ),
    case(
        NOT_MET,
        "no_pending_matter",
        record(matters=[MatterFact("odd-kind", D(2024, 1, 1))], on=OPENED),
        "odd-kind opened",
        id="NĐ 152 Art 4: an unknown kind of matter still blocks, shown as it is",
    ),
]


# --- Point 3: one achievement, one award (Law Art 5.2; NĐ 98 Art 30.9) -----------------------

CHAINS = [
    case(
        NOT_MET,
        "three_consecutive_cstdcs",
        record(grants={"CSTDCS": [Y - 2, Y - 1, Y], "CSTD_BO": [Y - 1]}),
        "2022, 2023 already relied on by CSTĐ Bộ 2023 (2021–2023)",
        id="Law Art 5.2: CSTĐ Bộ 2023 used 2021–2023 → CSTĐ Bộ 2024 cannot reuse 2022–2023",
    ),
    case(
        MET,
        "three_consecutive_cstdcs",
        record(grants={"CSTDCS": [Y - 2, Y - 1, Y], "CSTD_BO": [Y - 3]}),
        "CSTĐCS in 2022, 2023, 2024.",
        id="Law Art 5.2: CSTĐ Bộ 2021 used 2019–2021 → three new years 2022–2024 are enough",
    ),
    case(
        NOT_MET,
        "two_consecutive_cstd_bo",
        record(grants={"CSTD_BO": [Y - 3, Y], "CSTDTQ": [Y - 3]}),
        "2021 already relied on by CSTĐTQ 2021 (2016–2021)",
        id="Law Art 5.2: a CSTĐ Bộ already relied on by a CSTĐTQ cannot count again",
    ),
    case(
        NOT_MET,
        "two_consecutive_cstdcs_or_excellent",
        record(grants={"CSTDCS": [Y - 1, Y], "BK_BO": [Y - 1]}),
        "2023 already relied on by Bằng khen Bộ 2023 (2022–2023)",
        id="NĐ 98 Art 30.9: BK Bộ 2023 used 2022–2023 → BK Bộ 2024 cannot reuse 2023",
    ),
    case(
        MET,
        "two_consecutive_cstdcs_or_excellent",
        record(grants={"CSTDCS": [Y - 1, Y], "BK_BO": [Y - 2]}),
        "CSTĐCS in 2023, 2024.",
        id="NĐ 98 Art 30.9: BK Bộ 2022 → BK Bộ 2024 on 2023–2024 is counted anew",
    ),
    case(
        NOT_MET,
        "five_good_years_after_bk_bo",
        record(grants={"BK_BO": [Y - 9], "BK_TTG": [Y - 2]}, ratings=years(Y - 9, Y)),
        "Bằng khen Thủ tướng in 2022 — needs five years after it, 2 so far.",
        id="NĐ 98 Art 30.9: BK TTg after BK TTg counts from the previous one's period",
    ),
    case(
        MET,
        "five_good_years_after_bk_bo",
        record(grants={"BK_BO": [Y - 9], "BK_TTG": [Y - 5]}, ratings=years(Y - 9, Y)),
        "2020–2024 after Bằng khen Thủ tướng 2019",
        id="NĐ 98 Art 30.9: five years after the previous BK TTg's period → counted",
    ),
    case(
        NOT_MET,
        "three_cstdcs_after_bk_ttg",
        record(grants={"BK_TTG": [Y - 8], "HCLD_3": [Y - 3], "CSTDCS": [Y - 4, Y - 3, Y]}),
        "CSTĐCS in 2024 after HCLĐ hạng Ba 2021 — needs three.",
        id="NĐ 98 Art 30.9: CSTĐCS years inside a previous Huân chương's period do not count",
    ),
    case(
        UNKNOWN,
        "excellent_year_after_bk_ttg",
        record(grants={"BK_TTG": [Y - 8], "HCLD_3": [Y - 4]}, ratings=years(Y - 3, Y - 1)),
        "after HCLĐ hạng Ba 2020; no task rating for 2024",
        id="NĐ 98 Art 30.9: HTXS counted only after the previous Huân chương",
    ),
]


# --- Point 7a: shares count higher titles; 7c: exceeding is above 100 % ----------------------

COLLECTIVE = [
    case(
        MET,
        "members_ldtt_share",
        record(kind="unit", members=MembersFact(total=10, rated=10, completed=10, ldtt=7)),
        "7 of 10 members",
        id="Law Art 27 (U): 70 % of the staff of the year LĐTT or higher → met at the boundary",
    ),
    case(
        NOT_MET,
        "members_ldtt_share",
        record(kind="unit", members=MembersFact(total=10, rated=10, completed=10, ldtt=6)),
        "at least 70",
        id="Law Art 27 (U): 60 % LĐTT or higher → not met",
    ),
    case(
        MET,
        "exceeds_targets",
        record(
            kind="unit",
            registration=RegistrationFact("pttd", 2),
            progress=ProgressFact(2, 2, targets_exceeded=2),
        ),
        "All 2 targets for 2024 exceeded.",
        id="TT 22/2023 Art 6: every target above 100 % → exceeds",
    ),
    case(
        NOT_MET,
        "exceeds_targets",
        record(
            kind="unit",
            registration=RegistrationFact("pttd", 2),
            progress=ProgressFact(2, 2, targets_exceeded=1),
        ),
        "1 of 2 targets for 2024 exceeded",
        id="TT 22/2023 Art 6: a target reached at exactly 100 % is not exceeded",
    ),
    case(
        UNKNOWN,
        "exceeds_targets",
        record(
            kind="unit",
            registration=RegistrationFact("pttd", 2),
            progress=ProgressFact(1, 2, targets_exceeded=1, unreported=1),
        ),
        "No result yet for 1 of 2 targets",
        id="TT 22/2023 Art 6: a target without result yet → unknown",
    ),
    case(
        NOT_MET,
        "exceeds_targets",
        record(
            kind="unit",
            registration=RegistrationFact("pttd", 3),
            progress=ProgressFact(1, 3, targets_exceeded=1, unreported=1),
        ),
        "1 of 3 targets for 2024 met",
        id="TT 22/2023 Art 6: a missed target fails even while another is unreported",
    ),
]


@pytest.mark.parametrize(
    ("code", "rec", "params", "expected", "fragment"), DISCIPLINE + MATTERS + CHAINS + COLLECTIVE
)
def test_rule_follows_the_law(code, rec, params, expected, fragment):
    outcome, reason = outcome_of(code, rec, params)
    assert outcome == expected, reason
    assert fragment in reason, reason


# --- Point 5: any-of groups; nothing uncheckable is "met" ------------------------------------

BK_BO_RULES = [
    {
        "any_of": [
            ["two_consecutive_cstdcs_or_excellent", "two_unused_base_initiatives"],
            ["bk_bo_other_criterion"],
        ],
        "label": "Luật TĐKT 2022, Điều 74.1",
    },
    "not_disciplined_in_period",
]
TWO_INITIATIVES = [initiative(title="A", pk=1), initiative(title="B", pk=2)]


@pytest.mark.parametrize(
    ("rec", "expected", "met_path"),
    [
        pytest.param(
            record(
                grants={"CSTDCS": [Y - 1, Y]}, ratings=years(Y - 1, Y), initiatives=TWO_INITIATIVES
            ),
            MET,
            0,
            id="Law Art 74.1.d: the checkable path met → the award's group is met by path 1",
        ),
        pytest.param(
            record(grants={"CSTDCS": [Y]}, ratings=years(Y - 1, Y), initiatives=TWO_INITIATIVES),
            UNKNOWN,
            None,
            id="Law Art 74.1: path d fails, the others are for the council → unknown, not refused",
        ),
        pytest.param(
            record(
                ratings={
                    Y - 1: "HTXS",
                    Y: rating("HTXS", disciplined=True, discipline_level="reprimand"),
                },
                initiatives=TWO_INITIATIVES,
            ),
            NOT_MET,
            0,
            id="Law Art 74.1 + NĐ 152 Art 4: a path met, discipline in a year relied on refuses",
        ),
    ],
)
def test_bang_khen_bo_is_one_of_the_paths(rec, expected, met_path):
    evaluation = evaluate(rec, rule_codes=BK_BO_RULES, rule_params={"discipline_years": 2})
    assert evaluation.outcome == expected
    assert evaluation.group().met_path == met_path


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        pytest.param(["met", "not_met"], MET, id="Law Art 74.1: one path met → met"),
        pytest.param(
            ["not_met", "not_met"], NOT_MET, id="Law Art 74.1: every path fails → not met"
        ),
        pytest.param(["not_met", "unknown"], UNKNOWN, id="Law Art 74.1: fails + unknown → unknown"),
        pytest.param(["unknown", "unknown"], UNKNOWN, id="Law Art 74.1: nothing known → unknown"),
    ],
)
def test_a_group_is_met_by_one_path(monkeypatch, outcomes, expected):
    from awards import eligibility

    for index, outcome in enumerate(outcomes):
        result = eligibility.Result(Outcome(outcome), (eligibility.Text("x"),))
        monkeypatch.setitem(
            RULES,
            f"fixed_{index}",
            Rule(
                f"fixed_{index}",
                "t",
                (Citation("c"),),
                frozenset({"person"}),
                {},
                lambda r, p, result=result: result,
            ),
        )
    group = {"any_of": [["fixed_0"], ["fixed_1"]], "label": "Điều 74.1"}
    evaluation = evaluate(record(on=D(2025, 3, 1)), rule_codes=[group])
    assert evaluation.group().outcome == expected
    assert evaluation.outcome == expected


@pytest.mark.parametrize(
    "rule_codes",
    [
        pytest.param([], id="Law Art 5 (HCLĐ hạng Nhì): no rule in the catalogue → never met"),
        pytest.param(["no_such_rule"], id="a catalogue naming only unknown codes → never met"),
        pytest.param("not a list", id="malformed rule data → unknown, never an error"),
        pytest.param([{"any_of": "x"}, 5], id="malformed group → unknown, never an error"),
    ],
)
def test_an_award_without_checkable_rules_is_unknown_never_met(rule_codes):
    evaluation = evaluate(record(ratings={Y: "HTXS"}), rule_codes=rule_codes)
    assert evaluation.outcome == UNKNOWN
    assert evaluation.notes


def test_a_rule_failing_on_odd_data_is_unknown_with_its_reason(monkeypatch):
    def broken(rec, params):
        raise KeyError("odd")

    monkeypatch.setitem(
        RULES, "broken", Rule("broken", "t", (Citation("c"),), frozenset({"person"}), {}, broken)
    )
    evaluation = evaluate(record(), rule_codes=["broken"])
    assert evaluation.line("broken").outcome == UNKNOWN
    with translation.override("en"):
        assert "cannot be judged" in evaluation.line("broken").result.reasons[0].render()


@pytest.mark.parametrize(
    ("rule_codes", "recipient", "error"),
    [
        pytest.param(BK_BO_RULES, "both", None, id="Law Art 74.1: the shipped group is valid"),
        pytest.param(
            [{"any_of": [["rating_good_or_better"]]}],
            "individual",
            "at least two paths",
            id="an any-of group with one path is refused",
        ),
        pytest.param(
            [{"any_of": [["rating_good_or_better"], []]}],
            "individual",
            "at least two paths",
            id="an empty path is refused",
        ),
        pytest.param(
            [{"any_of": [["rating_good_or_better"], ["nope"]]}],
            "individual",
            "Unknown rule codes",
            id="an unknown code inside a group is refused",
        ),
        pytest.param(
            [{"any_of": [["rating_good_or_better"], ["rating_excellent"]], "oops": 1}],
            "individual",
            "any-of groups",
            id="an unknown key in a group is refused",
        ),
        pytest.param(
            [{"any_of": [["rating_good_or_better"], ["rating_excellent"]], "label": 5}],
            "individual",
            "label",
            id="a label that is not a text is refused",
        ),
        pytest.param([3], "individual", "any-of groups", id="a number is not a rule"),
    ],
)
def test_rule_groups_are_validated(rule_codes, recipient, error):
    params = {"discipline_years": 2} if rule_codes is BK_BO_RULES else {}
    with translation.override("en"):
        errors = validate_rule_setup(rule_codes=rule_codes, rule_params=params, recipient=recipient)
        text = " ".join(str(error) for error in errors.get("rule_codes", []))
    if error is None:
        assert errors == {}
    else:
        assert error in text, errors
    if error is not None:
        with translation.override("vi"):
            again = validate_rule_setup(rule_codes=rule_codes, rule_params={}, recipient=recipient)
            assert str(again["rule_codes"][0]) not in text  # translated


def test_the_snapshot_shows_the_group_its_paths_and_which_is_met():
    evaluation = evaluate(
        record(grants={"CSTDCS": [Y - 1, Y]}, ratings=years(Y - 1, Y), initiatives=TWO_INITIATIVES),
        rule_codes=BK_BO_RULES,
        rule_params={"discipline_years": 2},
        on=D(2025, 8, 1),
    )
    snapshot = json.loads(json.dumps(evaluation.snapshot(award_code="BK_BO", year=Y)))
    group = snapshot["lines"][0]
    assert group["group"] and group["met_path"] == 0 and group["outcome"] == "met"
    assert [path["outcome"] for path in group["paths"]] == ["met", "unknown"]
    assert group["paths"][1]["lines"][0]["code"] == "bk_bo_other_criterion"
    assert "Đường 1" in group["reason"]["vi"] or "1" in group["reason"]["vi"]
    assert snapshot["on"] == "2025-08-01"


# --- Point 6: the rules and citations in force on the day ------------------------------------


@pytest.mark.parametrize(
    ("day", "cited", "not_cited"),
    [
        pytest.param(
            D(2025, 6, 30), "98/2023", "152/2025", id="NĐ 98/2023 applies until 30/06/2025"
        ),
        pytest.param(
            D(2025, 7, 1), "152/2025", "98/2023", id="NĐ 152/2025 applies from 01/07/2025"
        ),
    ],
)
def test_the_decree_cited_is_the_one_in_force_on_the_day(day, cited, not_cited):
    evaluation = evaluate(
        record(ratings={Y: "HTT"}, on=day), rule_codes=["rating_good_or_better"], on=day
    )
    snapshot = evaluation.snapshot(award_code="LDTT", year=Y)
    matter = next(line for line in snapshot["lines"] if line["code"] == "no_pending_matter")
    texts = " ".join(citation["text"]["en"] for citation in matter["citations"])
    assert cited in texts and not_cited not in texts
    assert snapshot["on"] == day.isoformat()
    assert any(cited in citation["text"]["en"] for citation in snapshot["citations"])


def test_circular_22_is_cited_as_unconfirmed():
    evaluation = evaluate(
        record(kind="unit", on=D(2025, 8, 1)), rule_codes=["holds_ttldxs"], on=D(2025, 8, 1)
    )
    line = evaluation.snapshot(award_code="CO_BO", year=Y)["lines"][0]
    assert line["citations"][0]["unconfirmed"] is True
    assert "22/2023/TT-BCT" in line["basis"]["en"] and "unconfirmed" in line["basis"]["en"]


@pytest.mark.parametrize(
    ("day", "applied"),
    [
        pytest.param(D(2025, 6, 30), True, id="a dated rule applies on its last day"),
        pytest.param(D(2025, 7, 1), False, id="a dated rule is not applied the day after"),
    ],
)
def test_a_rule_applies_only_in_its_period(monkeypatch, day, applied):
    monkeypatch.setitem(
        RULES,
        "old_rule",
        Rule(
            "old_rule",
            "Old rule",
            (Citation("NĐ 98/2023"),),
            frozenset({"person"}),
            {},
            lambda rec, params: met("ok"),
            until=D(2025, 6, 30),
        ),
    )
    evaluation = evaluate(record(), rule_codes=["old_rule"], on=day)
    codes = [line.rule.code for line in evaluation.all_lines()]
    assert ("old_rule" in codes) is applied
    if not applied:
        assert evaluation.outcome == UNKNOWN
