"""The nomination's workflow through its services: guards, eligibility at every step, history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from awards.models import Initiative, Nomination, NominationStep, Review
from awards.selectors.record import nominee_record
from awards.services.nominations import (
    attachment_remove,
    nomination_attach_initiative,
    nomination_detach_initiative,
    nomination_draft,
    nomination_return,
    nomination_screening_accept,
    nomination_screening_start,
    nomination_submit,
    nomination_update,
    nomination_withdraw,
    review_declare_conflict,
    review_submit,
)
from campaigns.models import Registration, Target
from tests.awards.conftest import YEAR, advance, complete_dossier
from tests.factories import (
    AwardGrantFactory,
    InitiativeFactory,
    PersonFactory,
    TaskRatingFactory,
    UserFactory,
)
from units.roles import BOARD_GROUP

pytestmark = pytest.mark.django_db


def _draft(cast, proposing, catalogue, *, award="CSTDCS", **nominee):
    return nomination_draft(
        proposing_unit=proposing,
        award_type=catalogue[award],
        year=YEAR,
        actor=cast["officer"],
        **nominee,
    )


# --- Drafting ------------------------------------------------------------------------------


def test_draft_prefills_the_report_from_the_record_and_logs_the_first_step(
    cast, unit, catalogue, person
):
    person.position = "Chuyên viên chính"
    person.save()
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    AwardGrantFactory(
        person=person,
        year=YEAR - 1,
        award_type=catalogue["LDTT"],
        decision_number="12/QĐ-XNK",
        decided_on=datetime.date(YEAR, 1, 15),
        issuer="Cục trưởng",
    )
    nomination = _draft(cast, unit, catalogue, person=person)

    assert nomination.status == Nomination.Status.DRAFT
    assert "Nguyễn Văn An" in nomination.report_background
    assert "Chuyên viên chính" in nomination.report_background
    assert "Lao động tiên tiến" in nomination.report_awards
    assert "12/QĐ-XNK, 15/01/2025" in nomination.report_awards
    # HTT without an initiative: CSTĐCS fails its rule, and the snapshot says why.
    assert nomination.eligibility_outcome == Nomination.Eligibility.NOT_MET
    lines = {line["code"]: line for line in nomination.eligibility["lines"]}
    assert lines["excellent_or_initiative"]["outcome"] == "not_met"
    assert "2025" in lines["excellent_or_initiative"]["reason"]["vi"]
    (step,) = nomination.steps.all()
    assert (step.from_status, step.to_status, step.actor) == ("", "draft", cast["officer"])
    assert step.eligibility == nomination.eligibility


def test_draft_for_the_unit_lists_its_registered_targets(cast, unit, catalogue, campaign):
    registration = Registration.objects.create(campaign=campaign, unit=unit, year=YEAR)
    indicator = campaign.objectives.get(number=1).indicators.first()
    Target.objects.create(registration=registration, indicator=indicator, value=Decimal("95"))
    nomination = _draft(cast, unit, catalogue, award="TTLDXS", unit=unit)
    assert indicator.name in nomination.report_achievements
    assert "95" in nomination.report_achievements
    assert unit.name in nomination.report_background


@pytest.mark.parametrize(("award", "nominee"), [("TTLDXS", "person"), ("CSTDCS", "unit")])
def test_award_must_fit_the_nominee(cast, unit, catalogue, person, award, nominee):
    nominee_kwargs = {"person": person} if nominee == "person" else {"unit": unit}
    with pytest.raises(ValidationError) as error:
        _draft(cast, unit, catalogue, award=award, **nominee_kwargs)
    assert "award_type" in error.value.message_dict
    assert not Nomination.objects.exists()


def test_a_unit_nominates_only_its_own_people_and_itself(cast, unit, other_unit, catalogue):
    stranger = PersonFactory(unit=other_unit)
    with pytest.raises(ValidationError):
        _draft(cast, unit, catalogue, person=stranger)
    with pytest.raises(ValidationError):
        _draft(cast, unit, catalogue, award="TTLDXS", unit=other_unit)
    assert not Nomination.objects.exists()


def test_a_future_year_is_refused(cast, unit, catalogue, person):
    with pytest.raises(ValidationError):
        nomination_draft(
            proposing_unit=unit,
            award_type=catalogue["CSTDCS"],
            year=datetime.date.today().year + 1,
            person=person,
            actor=cast["officer"],
        )


def test_one_live_nomination_per_nominee_award_and_year(cast, unit, catalogue, person):
    first = _draft(cast, unit, catalogue, person=person)
    with pytest.raises(ValidationError):
        _draft(cast, unit, catalogue, person=person)
    # Another award, or another year, is a different nomination.
    _draft(cast, unit, catalogue, award="LDTT", person=person)
    nomination_withdraw(nomination=first, actor=cast["head"])
    again = _draft(cast, unit, catalogue, person=person)
    assert again.pk != first.pk


def test_the_database_keeps_one_live_nomination_unless_withdrawn_or_rejected(
    unit, catalogue, person
):
    values = {
        "person": person,
        "award_type": catalogue["CSTDCS"],
        "year": YEAR,
        "proposing_unit": unit,
    }
    first = Nomination.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(**values)
    Nomination.objects.filter(pk=first.pk).update(status=Nomination.Status.REJECTED)
    second = Nomination.objects.create(**values)
    Nomination.objects.filter(pk=second.pk).update(status=Nomination.Status.WITHDRAWN)
    Nomination.objects.create(**values)
    assert Nomination.objects.count() == 3


@pytest.mark.parametrize("nominees", ["both", "neither"])
def test_the_database_refuses_both_or_neither_nominee(unit, catalogue, person, nominees):
    extra = {"person": person, "unit": unit} if nominees == "both" else {}
    with pytest.raises(IntegrityError):
        Nomination.objects.create(
            award_type=catalogue["BK_BO"], year=YEAR, proposing_unit=unit, **extra
        )


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(cast, nomination, catalogue):
    fields = {
        "award_type": catalogue["CSTDCS"],
        "year": YEAR,
        "report_background": "Phiên bản A",
        "report_achievements": "A",
        "report_awards": "",
        "justification": "",
    }
    opened = nomination.version
    nomination_update(nomination=nomination, actor=cast["officer"], version=opened, **fields)
    with pytest.raises(ValidationError) as error:
        nomination_update(
            nomination=nomination,
            actor=cast["head"],
            version=opened,
            **{**fields, "report_background": "Phiên bản B"},
        )
    assert error.value.code == "stale"
    nomination.refresh_from_db()
    assert nomination.report_background == "Phiên bản A"


# --- Initiatives -------------------------------------------------------------------------


def test_relying_on_an_initiative_fixes_the_failing_rule(cast, unit, catalogue, person):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    initiative = InitiativeFactory(person=person, recognised_on=datetime.date(YEAR, 3, 1))
    nomination = _draft(cast, unit, catalogue, person=person)
    assert nomination.eligibility_outcome == "not_met"

    nomination = nomination_attach_initiative(
        nomination=nomination, initiative=initiative, actor=cast["officer"]
    )
    initiative.refresh_from_db()
    assert initiative.used_by == nomination
    lines = {line["code"]: line["outcome"] for line in nomination.eligibility["lines"]}
    assert lines["excellent_or_initiative"] == "met"

    nomination = nomination_detach_initiative(
        nomination=nomination, initiative=initiative, actor=cast["officer"]
    )
    initiative.refresh_from_db()
    assert initiative.used_by is None and nomination.eligibility_outcome == "not_met"
    assert initiative.history.count() == 3  # created, relied on, released


def test_an_initiative_supports_one_nomination_only(cast, unit, catalogue, person):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    initiative = InitiativeFactory(person=person, recognised_on=datetime.date(YEAR, 3, 1))
    first = _draft(cast, unit, catalogue, person=person)
    nomination_attach_initiative(nomination=first, initiative=initiative, actor=cast["officer"])
    second = _draft(cast, unit, catalogue, award="BK_BO", person=person)
    with pytest.raises(ValidationError) as error:
        nomination_attach_initiative(
            nomination=second, initiative=initiative, actor=cast["officer"]
        )
    assert error.value.code == "used"
    initiative.refresh_from_db()
    assert initiative.used_by == first
    # The record built for the second nomination does not offer it either.
    record = nominee_record(person=person, year=YEAR, nomination_id=second.pk)
    assert record.initiatives == () and record.spare_initiatives == ()


def test_someone_elses_initiative_is_refused(cast, nomination, unit):
    other = InitiativeFactory(person=PersonFactory(unit=unit))
    with pytest.raises(ValidationError):
        nomination_attach_initiative(nomination=nomination, initiative=other, actor=cast["officer"])


def test_withdrawing_gives_the_initiatives_back(cast, unit, catalogue, person):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    initiative = InitiativeFactory(person=person, recognised_on=datetime.date(YEAR, 3, 1))
    nomination = _draft(cast, unit, catalogue, person=person)
    nomination_attach_initiative(
        nomination=nomination, initiative=initiative, actor=cast["officer"]
    )
    nomination = advance(nomination, "submitted", cast)
    nomination = nomination_withdraw(
        nomination=nomination, actor=cast["head"], reason="Đổi hình thức"
    )
    initiative.refresh_from_db()
    assert nomination.status == "withdrawn" and initiative.used_by is None
    assert nomination.steps.last().reason == "Đổi hình thức"


# --- Submission --------------------------------------------------------------------------


def test_a_failing_nomination_is_submitted_only_with_a_justification(cast, unit, catalogue, person):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    nomination = _draft(cast, unit, catalogue, person=person)
    with pytest.raises(ValidationError) as error:
        nomination_submit(nomination=nomination, actor=cast["head"])
    assert "justification" in error.value.message_dict
    nomination = nomination_submit(
        nomination=nomination, actor=cast["head"], justification="Thành tích đột xuất."
    )
    assert nomination.status == "submitted" and nomination.submitted_at is not None
    step = nomination.steps.last()
    assert step.reason == "Thành tích đột xuất." and step.eligibility_outcome == "not_met"


def test_a_double_submit_applies_once(cast, nomination):
    nomination_submit(nomination=nomination, actor=cast["head"])
    with pytest.raises(ValidationError) as error:
        nomination_submit(nomination=nomination, actor=cast["head"])
    assert error.value.code == "status"
    assert nomination.steps.filter(to_status="submitted").count() == 1


def test_an_empty_report_cannot_be_submitted(cast, nomination, catalogue):
    nomination_update(
        nomination=nomination,
        actor=cast["officer"],
        version=nomination.version,
        award_type=catalogue["CSTDCS"],
        year=YEAR,
        report_background="",
        report_achievements="",
        report_awards="",
        justification="",
    )
    with pytest.raises(ValidationError) as error:
        nomination_submit(nomination=nomination, actor=cast["head"])
    assert error.value.code == "incomplete"
    nomination.refresh_from_db()
    assert nomination.status == "draft"


# --- Screening ---------------------------------------------------------------------------


def test_screening_needs_a_complete_dossier(cast, nomination):
    nomination_submit(nomination=nomination, actor=cast["head"])
    nomination_screening_start(nomination=nomination, actor=cast["secretary"])
    with pytest.raises(ValidationError) as error:
        nomination_screening_accept(nomination=nomination, actor=cast["secretary"])
    assert error.value.code == "incomplete"
    nomination.refresh_from_db()
    assert nomination.status == "screening"


def test_eligibility_is_evaluated_again_at_every_step(cast, unit, catalogue, person):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    nomination = _draft(cast, unit, catalogue, person=person)
    nomination = nomination_submit(
        nomination=nomination, actor=cast["head"], justification="Đề nghị xem xét."
    )
    # The record changes after the submission: the rating is corrected to HTXS.
    person.task_ratings.filter(year=YEAR).update(rating="HTXS")
    nomination_screening_start(nomination=nomination, actor=cast["secretary"])
    outcomes = list(nomination.steps.values_list("to_status", "eligibility_outcome"))
    assert outcomes == [("draft", "not_met"), ("submitted", "not_met"), ("screening", "met")]


def test_secretary_moves_a_complete_dossier_to_review(cast, nomination):
    nomination = advance(nomination, "in_review", cast)
    assert nomination.status == "in_review"
    assert list(nomination.steps.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "screening",
        "in_review",
    ]
    assert all(step.eligibility["lines"] for step in nomination.steps.all())


def test_return_needs_a_reason_and_the_unit_resubmits(cast, nomination, catalogue):
    nomination = advance(nomination, "screening", cast)
    with pytest.raises(ValidationError):
        nomination_return(nomination=nomination, actor=cast["secretary"], reason=" ")
    nomination = nomination_return(
        nomination=nomination, actor=cast["secretary"], reason="Thiếu biên bản họp."
    )
    assert nomination.status == "returned"
    nomination_update(
        nomination=nomination,
        actor=cast["officer"],
        version=nomination.version,
        award_type=catalogue["CSTDCS"],
        year=YEAR,
        report_background="Sơ lược",
        report_achievements="Thành tích",
        report_awards="",
        justification="",
    )
    nomination = nomination_submit(nomination=nomination, actor=cast["head"])
    assert nomination.status == "submitted"
    assert nomination.steps.filter(to_status="returned").get().reason == "Thiếu biên bản họp."


def test_every_change_is_kept_in_history(cast, nomination):
    before = nomination.history.count()
    advance(nomination, "in_review", cast)
    statuses = list(nomination.history.order_by("history_date").values_list("status", flat=True))
    assert nomination.history.count() > before
    assert statuses[-3:] == ["submitted", "screening", "in_review"]
    assert nomination.history.latest().history_user == cast["secretary"]


# --- Review ------------------------------------------------------------------------------


def test_a_member_reviews_once_with_a_score_in_range(cast, nomination):
    nomination = advance(nomination, "in_review", cast)
    member = cast["board"]
    for bad_score in (0, 11):
        with pytest.raises(ValidationError):
            review_submit(
                nomination=nomination,
                actor=member,
                recommendation="support",
                score=bad_score,
                comment="",
            )
    with pytest.raises(ValidationError):
        review_submit(
            nomination=nomination, actor=member, recommendation="support", score=None, comment=""
        )
    review = review_submit(
        nomination=nomination, actor=member, recommendation="support", score=9, comment="Tốt"
    )
    assert review.submitted_at and review.score == 9
    with pytest.raises(ValidationError) as error:
        review_submit(
            nomination=nomination, actor=member, recommendation="oppose", score=2, comment=""
        )
    assert error.value.code == "reviewed"
    abstain = review_submit(
        nomination=nomination,
        actor=UserFactory(groups=[BOARD_GROUP]),
        recommendation="abstain",
        score=None,
        comment="",
    )
    assert abstain.score is None


def test_a_member_never_reviews_a_nomination_of_themselves(cast, unit, catalogue):
    member = cast["board"]
    nominee = PersonFactory(unit=unit, user=member)
    TaskRatingFactory(person=nominee, year=YEAR, rating="HTXS")
    nomination = advance(_draft(cast, unit, catalogue, person=nominee), "in_review", cast)
    with pytest.raises(ValidationError) as error:
        review_submit(
            nomination=nomination, actor=member, recommendation="support", score=10, comment=""
        )
    assert error.value.code == "self"
    assert not Review.objects.exists()


def test_a_declared_conflict_keeps_the_member_out(cast, nomination):
    nomination = advance(nomination, "in_review", cast)
    member = cast["board"]
    with pytest.raises(ValidationError):
        review_declare_conflict(nomination=nomination, actor=member, reason="")
    review_declare_conflict(nomination=nomination, actor=member, reason="Người thân")
    with pytest.raises(ValidationError) as error:
        review_submit(
            nomination=nomination, actor=member, recommendation="support", score=8, comment=""
        )
    assert error.value.code == "conflict"
    review = Review.objects.get()
    assert review.conflict_of_interest and review.recommendation == ""


def test_reviews_only_while_in_review(cast, nomination):
    with pytest.raises(ValidationError):
        review_submit(
            nomination=nomination,
            actor=cast["board"],
            recommendation="support",
            score=8,
            comment="",
        )


def test_steps_are_not_applied_from_the_wrong_status(cast, nomination):
    for step in (nomination_screening_start, nomination_screening_accept):
        with pytest.raises(ValidationError):
            step(nomination=nomination, actor=cast["secretary"])
    with pytest.raises(ValidationError):
        nomination_return(nomination=nomination, actor=cast["secretary"], reason="x")
    assert NominationStep.objects.filter(nomination=nomination).count() == 1


def test_attachments_only_while_the_unit_holds_the_dossier(cast, nomination):
    complete_dossier(nomination, cast["officer"])
    nomination = nomination_submit(nomination=nomination, actor=cast["head"])
    with pytest.raises(ValidationError):
        complete_dossier(nomination, cast["officer"])
    attachment = nomination.attachments.first()
    with pytest.raises(ValidationError):
        attachment_remove(attachment=attachment, actor=cast["officer"])


def test_removing_an_attachment_deletes_its_file_after_commit(
    cast, nomination, django_capture_on_commit_callbacks
):
    complete_dossier(nomination, cast["officer"])
    attachment = nomination.attachments.first()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=cast["officer"])
    assert not storage.exists(name)


# --- The record the rules read -----------------------------------------------------------


def test_the_record_of_a_collective_counts_its_members(cast, unit, catalogue):
    people = PersonFactory.create_batch(4, unit=unit)
    for person, value in zip(people, ["HTXS", "HTT", "HT", "KHT"], strict=True):
        TaskRatingFactory(person=person, year=YEAR, rating=value)
    TaskRatingFactory(
        person=PersonFactory(unit=unit),
        year=YEAR,
        rating="HT",
        disciplined=True,
        discipline_level="warning",
    )
    PersonFactory(unit=unit, active=False)  # not on the roster any more
    for person in people[:2]:
        AwardGrantFactory(person=person, year=YEAR, award_type=catalogue["LDTT"])
    AwardGrantFactory(person=people[0], year=YEAR, award_type=catalogue["CSTDCS"])
    AwardGrantFactory(person=people[1], year=YEAR - 1, award_type=catalogue["CSTDCS"])

    record = nominee_record(unit=unit, year=YEAR)
    members = record.members
    assert (members.total, members.rated, members.completed) == (5, 5, 4)
    assert (members.ldtt, members.cstdcs, members.disciplined_serious) == (2, 1, 1)


def test_the_record_knows_the_nominees_other_live_nominations(cast, unit, catalogue, person):
    TaskRatingFactory(person=person, year=YEAR, rating="HTXS")
    cstdcs = advance(_draft(cast, unit, catalogue, person=person), "submitted", cast)
    record = nominee_record(person=person, year=YEAR)
    assert ("CSTDCS", YEAR) in record.pending_awards
    nomination_withdraw(nomination=cstdcs, actor=cast["head"])
    assert nominee_record(person=person, year=YEAR).pending_awards == frozenset()


def test_initiatives_in_the_record_are_split_between_relied_on_and_spare(cast, nomination, unit):
    mine = InitiativeFactory(person=nomination.person)
    spare = InitiativeFactory(person=nomination.person)
    nomination_attach_initiative(nomination=nomination, initiative=mine, actor=cast["officer"])
    record = nominee_record(person=nomination.person, year=YEAR, nomination_id=nomination.pk)
    assert [item.pk for item in record.initiatives] == [mine.pk]
    assert [item.pk for item in record.spare_initiatives] == [spare.pk]
    assert Initiative.objects.get(pk=mine.pk).used_by_id == nomination.pk
