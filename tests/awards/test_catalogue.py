"""The award catalogue shipped by the data migration, and its administration."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.eligibility import validate_rule_setup
from awards.models import AwardType

pytestmark = pytest.mark.django_db

INDIVIDUAL_TITLES = {"CSTDTQ", "CSTD_BO", "CSTDCS", "LDTT"}
COLLECTIVE_TITLES = {"CO_CP", "CO_BO", "TTLDXS", "TTLDTT"}
FORMS = {"HCLD_1", "HCLD_2", "HCLD_3", "BK_TTG", "BK_BO", "GIAY_KHEN"}


def test_the_catalogue_of_the_law_is_there_from_the_migrations(catalogue):
    assert set(catalogue) == INDIVIDUAL_TITLES | COLLECTIVE_TITLES | FORMS
    assert {code for code, a in catalogue.items() if a.kind == "title"} == (
        INDIVIDUAL_TITLES | COLLECTIVE_TITLES
    )
    assert {code for code, a in catalogue.items() if a.recipient == "individual"} == (
        INDIVIDUAL_TITLES
    )
    assert {code for code, a in catalogue.items() if a.recipient == "collective"} == (
        COLLECTIVE_TITLES
    )
    assert catalogue["CSTD_BO"].name == "Chiến sĩ thi đua Bộ Công Thương"
    assert catalogue["CSTDCS"].name_en == "Grassroots Emulation Fighter"


def test_secret_ballot_and_thresholds_are_a_share_of_all_members(catalogue):
    ballots = {code: a.ballot_threshold_percent for code, a in catalogue.items() if a.secret_ballot}
    assert ballots == {"CSTDTQ": 90, "CSTD_BO": 90, "CSTDCS": 80, "CO_BO": 80, "CO_CP": 80}


def test_who_decides_and_what_the_ministry_forwards(catalogue):
    assert {code for code, a in catalogue.items() if a.decided_by == "unit_head"} == {
        "LDTT",
        "CSTDCS",
        "TTLDTT",
        "GIAY_KHEN",
    }
    assert {code for code, a in catalogue.items() if a.decided_by == "minister"} == {
        "BK_BO",
        "CO_BO",
        "CSTD_BO",
        "TTLDXS",
    }
    assert {code for code, a in catalogue.items() if a.is_forwarded} == {
        "CSTDTQ",
        "CO_CP",
        "BK_TTG",
        "HCLD_1",
        "HCLD_2",
        "HCLD_3",
    }


def test_state_honours_and_national_titles_are_published_ten_working_days(catalogue):
    for code in ("CSTDTQ", "HCLD_1", "HCLD_2", "HCLD_3"):
        assert catalogue[code].publicity_working_days == 10
        assert "publicity_working_days" not in catalogue[code].unconfirmed


def test_every_award_has_valid_rules_and_marks_its_unconfirmed_values(catalogue):
    for award in catalogue.values():
        assert not validate_rule_setup(
            rule_codes=award.rule_codes, rule_params=award.rule_params, recipient=award.recipient
        ), award.code
        assert set(award.unconfirmed) <= set(AwardType.ADJUSTABLE), award.code
        # The vote rules of NĐ 98 are not confirmed for NĐ 152 which replaced it.
        assert {"secret_ballot", "ballot_threshold_percent"} <= set(award.unconfirmed)
    assert {"rule_codes", "rule_params"} <= set(catalogue["TTLDXS"].unconfirmed)
    assert catalogue["TTLDXS"].rule_params["ldtt_min_percent"] == 70
    assert catalogue["TTLDTT"].rule_params["ldtt_above_percent"] == 50
    assert "rule_codes" not in catalogue["CSTD_BO"].unconfirmed


@pytest.mark.parametrize(
    ("percent", "members", "approvals", "passes"),
    [
        (90, 10, 9, True),
        (90, 10, 8, False),
        (90, 11, 10, True),  # 9.9 rounds up: 10 are needed
        (90, 11, 9, False),
        (80, 7, 6, True),  # 5.6 → 6
        (80, 7, 5, False),
        (80, 15, 12, True),  # exactly 80%
        (80, 15, 11, False),
        (90, 21, 19, True),  # 18.9 → 19
        (90, 21, 18, False),
    ],
)
def test_the_threshold_is_computed_in_integers(catalogue, percent, members, approvals, passes):
    award = catalogue["CSTD_BO" if percent == 90 else "CSTDCS"]
    assert award.threshold_met(approvals=approvals, council_size=members) is passes


# --- In the admin --------------------------------------------------------------------------


def _change_url(award):
    return reverse("admin:awards_awardtype_change", args=[award.pk])


def test_admin_help_names_the_unconfirmed_values(client, cast, catalogue):
    client.force_login(cast["admin"])
    page = client.get(_change_url(catalogue["BK_TTG"])).content.decode()
    assert "[U] Chưa được xác nhận" in page
    form = client.get(_change_url(catalogue["BK_TTG"])).context["adminform"].form
    assert "publicity_working_days" in form.fields and "decided_by" in form.fields
    assert "[U]" in form.fields["publicity_working_days"].help_text
    # Confirmed values are shown, not editable.
    assert "name" not in form.fields and "code" not in form.fields
    form = client.get(_change_url(catalogue["CSTDTQ"])).context["adminform"].form
    assert "publicity_working_days" not in form.fields and "rule_codes" not in form.fields


def test_the_administrator_adjusts_an_unconfirmed_value_and_history_keeps_it(
    client, cast, catalogue
):
    award = catalogue["BK_BO"]
    client.force_login(cast["admin"])
    form = client.get(_change_url(award)).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(
        {
            "publicity_working_days": 7,
            "secret_ballot": "",
            "ballot_threshold_percent": "",
            "rule_codes": '["two_consecutive_cstdcs_or_excellent", "two_unused_base_initiatives"]',
            "rule_params": "{}",
            "active": "on",
            "name": "Đổi tên",  # confirmed: not a field of the form, ignored
        }
    )
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(_change_url(award), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    award.refresh_from_db()
    assert award.publicity_working_days == 7
    assert award.name == "Bằng khen của Bộ trưởng Bộ Công Thương"
    assert award.history.count() == 1  # the data migration wrote none; this change is kept


def test_a_wrong_rule_code_is_refused_in_the_admin(client, cast, catalogue):
    award = catalogue["TTLDTT"]
    client.force_login(cast["admin"])
    form = client.get(_change_url(award)).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(
        {
            "rule_codes": '["no_such_rule"]',
            "rule_params": '{"ldtt_above_percent": 50}',
            "secret_ballot": "",
            "ballot_threshold_percent": "",
            "active": "on",
        }
    )
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(_change_url(award), data)
    assert response.status_code == 200
    assert "no_such_rule" in response.content.decode()
    award.refresh_from_db()
    assert award.rule_codes[0] == "rating_good_or_better"


def test_secretary_reads_the_catalogue_but_cannot_change_it(client, cast, catalogue):
    client.force_login(cast["secretary"])
    assert client.get(reverse("admin:awards_awardtype_changelist")).status_code == 200
    response = client.post(_change_url(catalogue["BK_BO"]), {"publicity_working_days": 1})
    assert response.status_code == 403
