"""The services of a bloc's year, exercised as the people who use them would, with bad input
refused and nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from awards.models import Nomination
from awards.services._steps import evaluate
from blocs.models import BlocBallotItem, BlocSealedVote, Criterion, RankEntry, Score, Scoring
from blocs.selectors.ranking import ranking
from blocs.services.ballot import (
    ballot_cast,
    ballot_close,
    ballot_open,
    meeting_item_add,
    meeting_schedule,
)
from blocs.services.scoring import (
    ranking_publish,
    score_check,
    score_save,
    scoring_start,
    scoring_submit,
)
from blocs.services.table import criterion_add, table_copy_last_year
from blocs.services.years import bloc_year_save, commitment_add, covenant_sign, member_candidates
from campaigns.models import ProgressReport
from tests.blocs.conftest import PASSPHRASES, YEAR
from tests.blocs.helpers import score_all

pytestmark = pytest.mark.django_db


def test_members_are_the_units_that_existed_during_the_year(world):
    codes = set(member_candidates(world["bloc"], YEAR).values_list("code", flat=True))
    assert "cuc-dong" in codes  # closed on 30/06/2025: a member for 2025
    assert "cuc-cu" not in codes  # closed in 2024
    with pytest.raises(ValidationError) as error:
        bloc_year_save(
            bloc=world["bloc"],
            year=YEAR,
            leading_unit=world["units"]["cuc-a"],
            deputy_unit=None,
            members=[world["units"]["cuc-a"], world["closed_before"]],
            actor=None,
        )
    assert "existed during the year" in str(error.value)
    assert world["year"].members.count() == 3  # unchanged


def test_a_formula_naming_an_unknown_indicator_is_refused(world):
    group = world["criteria"]["targets"].group
    with pytest.raises(ValidationError) as error:
        criterion_add(
            group=group,
            title="Sáng kiến",
            kind=Criterion.Kind.COMPUTED,
            max_points=Decimal(5),
            formula="2 * sang_kien",
            actor=None,
        )
    assert "unknown indicator “sang_kien”" in str(error.value)
    assert "on_time_rate" in str(error.value)  # the known ones are listed
    assert Criterion.objects.filter(group=group).count() == 2
    with pytest.raises(ValidationError):
        criterion_add(
            group=group,
            title="x",
            kind="computed",
            max_points=Decimal(5),
            formula="__import__('os')",
            actor=None,
        )


def test_a_score_above_the_maximum_is_refused_and_nothing_changes(world, cast):
    scoring = scoring_start(bloc_year=world["year"], unit=world["units"]["cuc-a"])
    score = Score.objects.get(scoring=scoring, criterion=world["criteria"]["targets"])
    score_save(score=score, points=Decimal(30), evidence="Báo cáo năm", actor=cast["head"])
    with pytest.raises(ValidationError) as error:
        score_save(score=score, points=Decimal("40.5"), evidence="khác", actor=cast["head"])
    assert "At most 40 points" in str(error.value)
    score.refresh_from_db()
    assert (score.points, score.evidence) == (Decimal(30), "Báo cáo năm")


def test_scoring_after_the_deadline_is_refused(world, cast):
    scoring = scoring_start(bloc_year=world["year"], unit=world["units"]["cuc-a"])
    score = Score.objects.get(scoring=scoring, criterion=world["criteria"]["targets"])
    with time_machine.travel(datetime.datetime(2026, 1, 2, 9, 0), tick=False):
        with pytest.raises(ValidationError) as error:
            score_save(score=score, points=Decimal(30), evidence="muộn", actor=cast["head"])
        assert "deadline for self-scoring was 31/12/2025" in str(error.value)
        with pytest.raises(ValidationError):
            scoring_submit(scoring=scoring, actor=cast["head"])
    score.refresh_from_db()
    assert score.points is None
    assert Scoring.objects.get(pk=scoring.pk).status == "draft"


def test_the_computed_criterion_reads_the_reports(world, campaign, cast):
    unit = world["units"]["cuc-a"]
    with time_machine.travel(datetime.datetime(2025, 12, 1, 9, 0), tick=False):
        periods = list(
            campaign.periods.filter(due_on__year=YEAR, due_on__lte=datetime.date(2025, 12, 1))
        )
        assert len(periods) >= 2
        on_time = periods[0]
        ProgressReport.objects.create(
            unit=unit,
            period=on_time,
            status="submitted",
            first_submitted_at=datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC),
            late=False,
        )
        scoring = score_all(world, "cuc-a", {"targets": 30, "party": 30})
    computed = Score.objects.get(scoring=scoring, criterion=world["criteria"]["on_time"])
    expected = (Decimal(20) / len(periods)).quantize(Decimal("0.01"))
    assert computed.points == expected


def test_cross_check_needs_a_reason_then_ranking_with_the_tie_break(world, cast):
    leading_head = world["heads"]["cuc-c"]
    a = score_all(world, "cuc-a", {"targets": 30, "party": 30, "penalty": 1})
    b = score_all(world, "cuc-b", {"targets": 31, "party": 30})
    score = Score.objects.get(scoring=b, criterion=world["criteria"]["targets"])
    with pytest.raises(ValidationError) as error:
        score_check(score=score, checked_points=Decimal(29), reason="", actor=leading_head)
    assert "reason" in str(error.value)
    score.refresh_from_db()
    assert score.checked_points is None
    score_check(
        score=score, checked_points=Decimal(29), reason="Thiếu minh chứng", actor=leading_head
    )
    score.refresh_from_db()
    assert (score.points, score.final, score.check_reason) == (
        Decimal(31),
        Decimal(29),
        "Thiếu minh chứng",
    )
    with pytest.raises(ValidationError):
        ranking_publish(bloc_year=world["year"], actor=cast["secretary"])  # not all checked
    from blocs.services.scoring import scoring_confirm

    scoring_confirm(scoring=a, actor=leading_head)
    scoring_confirm(scoring=b, actor=leading_head)
    # A: 60 - 1 = 59; B: 59 - 0 = 59: fewer penalty points wins.
    ranked = ranking(world["year"])
    assert [(sheet.unit.code, sheet.total) for sheet in ranked] == [
        ("cuc-b", Decimal(59)),
        ("cuc-a", Decimal(59)),
    ]
    ranking_publish(bloc_year=world["year"], actor=cast["secretary"])
    assert list(RankEntry.objects.values_list("unit__code", "rank")) == [("cuc-b", 1), ("cuc-a", 2)]
    with pytest.raises(ValidationError):
        score_check(score=score, checked_points=Decimal(20), reason="x", actor=leading_head)


def test_the_covenant_is_signed_by_member_heads(world):
    bloc_year = world["year"]
    with pytest.raises(ValidationError):
        covenant_sign(
            bloc_year=bloc_year, unit=world["units"]["cuc-a"], actor=world["heads"]["cuc-a"]
        )
    commitment_add(bloc_year=bloc_year, text="Hoàn thành 100% chỉ tiêu", actor=None)
    covenant_sign(bloc_year=bloc_year, unit=world["units"]["cuc-a"], actor=world["heads"]["cuc-a"])
    with pytest.raises(ValidationError):
        covenant_sign(
            bloc_year=bloc_year, unit=world["units"]["cuc-a"], actor=world["heads"]["cuc-a"]
        )
    with pytest.raises(ValidationError):
        covenant_sign(
            bloc_year=bloc_year, unit=world["units"]["cuc-d"], actor=world["heads"]["cuc-d"]
        )
    with pytest.raises(ValidationError):
        commitment_add(bloc_year=bloc_year, text="Thêm", actor=None)  # signed: fixed
    assert bloc_year.signatures.count() == 1


def test_copy_last_year(world, cast):
    next_year = bloc_year_save(
        bloc=world["bloc"],
        year=YEAR + 1,
        leading_unit=world["units"]["cuc-b"],
        deputy_unit=None,
        members=[world["units"]["cuc-a"], world["units"]["cuc-b"]],
        actor=None,
    )
    assert table_copy_last_year(bloc_year=next_year, actor=None) == 5
    assert list(
        Criterion.objects.filter(group__bloc_year=next_year).values_list("formula", flat=True)
    ) == ["", "20 * on_time_rate", "", "", ""]
    with pytest.raises(ValidationError):
        table_copy_last_year(bloc_year=next_year, actor=None)


def test_the_bloc_vote_makes_a_nomination_that_meets_the_bloc_rule(world, cast, catalogue):
    leading_head = world["heads"]["cuc-c"]
    from blocs.services.scoring import scoring_confirm

    for code, points in (("cuc-a", 35), ("cuc-b", 30)):
        scoring_confirm(
            scoring=score_all(world, code, {"targets": points, "party": 30}), actor=leading_head
        )
    scoring_confirm(
        scoring=score_all(world, "cuc-c", {"targets": 20, "party": 20}), actor=cast["secretary"]
    )
    ranking_publish(bloc_year=world["year"], actor=cast["secretary"])
    meeting = meeting_schedule(
        bloc_year=world["year"], held_on=datetime.date(2025, 12, 20), location="Hà Nội", actor=None
    )
    item = meeting_item_add(meeting=meeting, unit=world["units"]["cuc-a"], award_code="CO_BO")
    with pytest.raises(ValidationError):
        meeting_item_add(meeting=meeting, unit=world["units"]["cuc-d"], award_code="CO_BO")
    ballot_open(meeting=meeting, actor=None, **PASSPHRASES)
    for code in ("cuc-a", "cuc-b", "cuc-c"):
        ballot_cast(
            meeting=meeting,
            unit=world["units"][code],
            voter=world["heads"][code],
            choices={item.pk: True},
        )
    with pytest.raises(ValidationError):
        ballot_cast(
            meeting=meeting,
            unit=world["units"]["cuc-a"],
            voter=cast["head"],
            choices={item.pk: False},
        )
    assert BlocSealedVote.objects.count() == 3
    with pytest.raises(ValidationError):
        ballot_close(
            meeting=meeting,
            chair_passphrase="sai mật khẩu dài",
            secretary_passphrase="x" * 12,
            actor=None,
        )
    ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    item = BlocBallotItem.objects.get(pk=item.pk)
    assert (item.approvals, item.outcome, item.threshold_percent) == (3, "approved", 80)
    assert BlocSealedVote.objects.count() == 0
    nomination = Nomination.objects.get(pk=item.nomination_id)
    assert nomination.unit == world["units"]["cuc-a"]
    assert nomination.award_type.code == "CO_BO"
    assert set(nomination.attachments.values_list("kind", flat=True)) == {"other", "minutes"}
    result = evaluate(nomination)
    rule = next(row for row in result["lines"] if row.get("code") == "leads_bloc")
    assert rule["outcome"] == "met", rule
    stored = next(row for row in nomination.eligibility["lines"] if row.get("code") == "leads_bloc")
    assert stored["outcome"] == "met"
    assert "Khối A" in stored["reason"]["vi"]


def test_a_returned_scoring_can_be_corrected_after_the_deadline(world, cast):
    from blocs.services.scoring import scoring_return

    scoring = score_all(world, "cuc-a", {"targets": 30, "party": 30})
    with pytest.raises(ValidationError):
        scoring_return(scoring=scoring, reason=" ", actor=world["heads"]["cuc-c"])
    scoring_return(scoring=scoring, reason="Bổ sung minh chứng", actor=world["heads"]["cuc-c"])
    score = Score.objects.get(scoring=scoring, criterion=world["criteria"]["targets"])
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, 0), tick=False):
        score_save(score=score, points=Decimal(28), evidence="Quyết định số 12", actor=cast["head"])
        scoring = scoring_submit(scoring=Scoring.objects.get(pk=scoring.pk), actor=cast["head"])
    assert scoring.status == "submitted"
    assert Scoring.history.filter(id=scoring.pk).count() >= 3  # the history of its steps


def test_each_hand_over_tells_the_next_people_and_nobody_else(world, cast, catalogue):
    """Submitted → the cross-checker (the leading unit's heads; the board's secretaries for the
    leading unit's own scoring); returned → the unit; ranking published → every member unit;
    ballot open → the member units' heads. Never the other bloc's people, never twice."""
    from units.models import Message

    def told(key_prefix):
        return set(
            Message.objects.filter(key__startswith=key_prefix).values_list(
                "recipient__username", flat=True
            )
        )

    heads = {code: user.username for code, user in world["heads"].items()}
    a = score_all(world, "cuc-a", {"targets": 30, "party": 30}, actor=cast["officer"])
    assert told("bloc-scoring-submitted:") == {heads["cuc-c"]}
    score_all(world, "cuc-c", {"targets": 20, "party": 20}, actor=world["heads"]["cuc-c"])
    assert told("bloc-scoring-submitted:") == {heads["cuc-c"], cast["secretary"].username}

    from blocs.services.scoring import scoring_confirm, scoring_return

    scoring_return(scoring=a, reason="Thiếu minh chứng", actor=world["heads"]["cuc-c"])
    assert told("bloc-scoring-returned:") == {"officer", "head"}  # cuc-a's people
    body = Message.objects.get(key__startswith="bloc-scoring-returned:", recipient=cast["head"])
    assert "Thiếu minh chứng" in body.text
    a = scoring_submit(scoring=a, actor=cast["officer"])  # a new occasion for the checker
    assert Message.objects.filter(key__startswith="bloc-scoring-submitted:").count() == 3
    scoring_confirm(scoring=a, actor=world["heads"]["cuc-c"])
    scoring_confirm(
        scoring=Scoring.objects.get(unit=world["units"]["cuc-c"]), actor=cast["secretary"]
    )
    ranking_publish(bloc_year=world["year"], actor=cast["secretary"])
    members = {"officer", "head", "outsider", heads["cuc-b"], heads["cuc-c"]}  # outsider: cuc-b
    assert told("bloc-ranking:") == members
    meeting = meeting_schedule(
        bloc_year=world["year"], held_on=datetime.date(2025, 12, 20), location="Hà Nội", actor=None
    )
    meeting_item_add(meeting=meeting, unit=world["units"]["cuc-a"], award_code="CO_BO")
    ballot_open(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert told("bloc-ballot:") == {"head", heads["cuc-b"], heads["cuc-c"]}
    assert not Message.objects.filter(recipient=world["heads"]["cuc-d"]).exists()


def test_waiting_for_you_lists_each_bloc_step_for_whom_it_waits(
    world, cast, catalogue, django_assert_max_num_queries
):
    """The home page's list: the covenant for each member head until signed, the members'
    scorings for the leading unit's heads, the leading unit's own for the secretary, the
    ballot for each member head until the unit has voted; nothing for the other bloc."""
    from blocs.services.scoring import scoring_confirm
    from units.roles import roles_of
    from units.waiting import waiting_for

    today = datetime.date(2025, 12, 1)

    def lines(user):
        with django_assert_max_num_queries(12):
            return {item.label: item.count for item in waiting_for(user, roles_of(user), today)}

    head_a, head_c = world["heads"]["cuc-a"], world["heads"]["cuc-c"]
    commitment_add(bloc_year=world["year"], text="Hoàn thành 100% chỉ tiêu", actor=None)
    assert lines(head_a)["Bloc covenants to sign"] == 1
    covenant_sign(bloc_year=world["year"], unit=world["units"]["cuc-a"], actor=head_a)
    assert "Bloc covenants to sign" not in lines(head_a)
    assert lines(head_c)["Bloc covenants to sign"] == 1

    a = score_all(world, "cuc-a", {"targets": 30, "party": 30})
    b = score_all(world, "cuc-b", {"targets": 31, "party": 30})
    c = score_all(world, "cuc-c", {"targets": 20, "party": 20})
    assert lines(head_c)["Bloc scorings to cross-check"] == 2  # not its own
    assert "Bloc scorings to cross-check" not in lines(head_a)
    assert lines(cast["secretary"])["Leading units' bloc scorings to cross-check"] == 1
    assert not lines(world["heads"]["cuc-d"])

    for scoring in (a, b):
        scoring_confirm(scoring=scoring, actor=head_c)
    scoring_confirm(scoring=c, actor=cast["secretary"])
    ranking_publish(bloc_year=world["year"], actor=cast["secretary"])
    meeting = meeting_schedule(
        bloc_year=world["year"], held_on=datetime.date(2025, 12, 20), location="Hà Nội", actor=None
    )
    item = meeting_item_add(meeting=meeting, unit=world["units"]["cuc-a"], award_code="CO_BO")
    ballot_open(meeting=meeting, actor=None, **PASSPHRASES)
    assert lines(head_a)["Bloc ballots to cast"] == 1
    ballot_cast(
        meeting=meeting, unit=world["units"]["cuc-a"], voter=head_a, choices={item.pk: True}
    )
    assert "Bloc ballots to cast" not in lines(head_a)
    assert lines(head_c)["Bloc ballots to cast"] == 1
    assert not lines(world["heads"]["cuc-d"])
