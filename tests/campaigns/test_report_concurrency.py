"""Real concurrency on PostgreSQL: two requests at the same instant cannot both apply."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import ProgressReport, ReportLine
from campaigns.services.reports import report_line_save, report_submit
from config.errors import StaleEdit
from tests.helpers import race
from tests.needs import need_postgres


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_apply_once(report, cast):
    need_postgres()
    results = race(lambda _: report_submit(report=report, actor=cast["officer"]))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert ProgressReport.history.filter(id=report.pk, status="submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_of_one_line_keep_one_and_refuse_the_other(report, cast):
    need_postgres()
    line = report.lines.first()
    texts = ["Phiên bản A", "Phiên bản B"]
    results = race(
        lambda i: report_line_save(
            line=line,
            percent_complete=10 * (i + 1),
            narrative=texts[i],
            version=1,
            actor=cast["officer"],
        )
    )
    conflicts = [r for r in results if isinstance(r, StaleEdit)]
    saved = [r for r in results if isinstance(r, ReportLine)]
    assert len(conflicts) == 1 and len(saved) == 1
    line.refresh_from_db()
    assert line.version == 2 and line.narrative == saved[0].narrative


@pytest.mark.django_db(transaction=True)
def test_a_submit_racing_an_edit_never_leaves_an_edited_submitted_report(report, cast):
    need_postgres()
    line = report.lines.first()

    def act(index: int):
        if index == 0:
            return report_submit(report=report, actor=cast["officer"])
        return report_line_save(
            line=line, percent_complete=99, narrative="muộn", version=1, actor=cast["officer"]
        )

    results = race(act)
    report.refresh_from_db()
    line.refresh_from_db()
    assert report.status == "submitted"
    if isinstance(results[1], Exception):
        assert line.narrative == ""  # the edit came second and was refused
    else:
        # the edit came first; the submit then took the edited report
        assert line.narrative == "muộn"
        assert report.history.first().history_date >= line.history.first().history_date
