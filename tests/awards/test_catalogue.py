"""The award catalogue shipped by the data migration, and its administration."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from awards.eligibility import validate_rule_setup
from awards.models import AwardTerms, AwardType

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


LAST_DAY_NĐ98 = datetime.date(2025, 6, 30)
FIRST_DAY_NĐ152 = datetime.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("day", "source"),
    [
        pytest.param(LAST_DAY_NĐ98, "98/2023/NĐ-CP, Điều 30.7", id="NĐ98 Art30.7: 30/06/2025"),
        pytest.param(FIRST_DAY_NĐ152, "152/2025/NĐ-CP", id="NĐ152 (U): 01/07/2025"),
    ],
)
def test_secret_ballot_and_thresholds_are_a_share_of_all_members(catalogue, day, source):
    terms = {code: award.terms_on(day) for code, award in catalogue.items()}
    ballots = {code: t.ballot_threshold_percent for code, t in terms.items() if t.secret_ballot}
    assert ballots == {"CSTDTQ": 90, "CSTD_BO": 90, "CSTDCS": 80, "CO_BO": 80, "CO_CP": 80}
    assert all(source in t.ballot_source for t in terms.values())


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


@pytest.mark.parametrize(
    ("day", "source"),
    [
        pytest.param(LAST_DAY_NĐ98, "Nghị định 98/2023/NĐ-CP, Điều 46.2", id="NĐ98 Art46.2"),
        pytest.param(FIRST_DAY_NĐ152, "Nghị định 152/2025/NĐ-CP, Điều 44.2", id="NĐ152 Art44.2"),
    ],
)
def test_state_honours_and_national_titles_are_published_ten_working_days(catalogue, day, source):
    for code in ("CSTDTQ", "HCLD_1", "HCLD_2", "HCLD_3"):
        terms = catalogue[code].terms_on(day)
        assert terms.publicity_working_days == 10
        assert terms.publicity_source == source
        assert not terms.publicity_unconfirmed


def test_every_award_has_valid_rules_and_marks_its_unconfirmed_values(catalogue):
    for award in catalogue.values():
        assert not validate_rule_setup(
            rule_codes=award.rule_codes, rule_params=award.rule_params, recipient=award.recipient
        ), award.code
        assert set(award.unconfirmed) <= set(AwardType.ADJUSTABLE), award.code
        # The vote values moved to the dated terms; NĐ 152 keeping NĐ 98's is not confirmed.
        assert "98/2023" not in award.legal_basis, award.code
        for terms in award.terms.all():
            assert set(terms.unconfirmed) <= set(AwardTerms.ADJUSTABLE)
            assert {"secret_ballot", "ballot_threshold_percent"} <= set(terms.unconfirmed)
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
    terms = catalogue["CSTD_BO" if percent == 90 else "CSTDCS"].terms_on(FIRST_DAY_NĐ152)
    assert terms.threshold_met(approvals=approvals, council_size=members) is passes


# --- In the admin --------------------------------------------------------------------------


def _change_url(award):
    return reverse("admin:awards_awardtype_change", args=[award.pk])


def _form_data(response) -> dict:
    """What the change page posts back unchanged: the award's form and its terms' formset."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, (list, dict)):
            value = json.dumps(value)
        if value is not None and value is not False:
            data[name] = "on" if value is True else value
    formset = response.context["inline_admin_formsets"][0].formset
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = value
    for terms_form in formset.forms:
        for name, field in terms_form.fields.items():
            value = terms_form.initial.get(name, field.initial)
            if hasattr(value, "pk"):
                value = value.pk
            if value is not None and value is not False:
                data[terms_form.add_prefix(name)] = "on" if value is True else value
    return data


def _terms_form(response, day):
    formset = response.context["inline_admin_formsets"][0].formset
    return next(form for form in formset.forms if form.instance.covers(day))


def test_admin_help_names_the_unconfirmed_values(client, cast, catalogue):
    client.force_login(cast["admin"])
    response = client.get(_change_url(catalogue["BK_TTG"]))
    page = response.content.decode()
    assert "[U] Chưa được xác nhận" in page
    form = response.context["adminform"].form
    assert "decided_by" in form.fields and "[U]" in form.fields["decided_by"].help_text
    assert "publicity_working_days" not in form.fields  # dated: in the terms below
    # Each period's [U] values are editable and labelled with their source.
    terms_form = _terms_form(response, FIRST_DAY_NĐ152)
    field = terms_form.fields["publicity_working_days"]
    assert not field.disabled and "[U]" in field.help_text
    assert "Nghị định 152/2025/NĐ-CP, Điều 44.2" in field.help_text
    assert not terms_form.fields["ballot_threshold_percent"].disabled
    assert terms_form.fields["valid_from"].disabled
    # Confirmed values are shown, not editable.
    assert "name" not in form.fields and "code" not in form.fields
    response = client.get(_change_url(catalogue["CSTDTQ"]))
    assert "rule_codes" not in response.context["adminform"].form.fields
    for day in (LAST_DAY_NĐ98, FIRST_DAY_NĐ152):
        field = _terms_form(response, day).fields["publicity_working_days"]
        assert field.disabled and "[C]" in field.help_text  # NĐ 98 Art 46.2 / NĐ 152 Art 44.2
        assert _terms_form(response, day).fields["publicity_source"].disabled


def test_the_administrator_adjusts_an_unconfirmed_value_and_history_keeps_it(
    client, cast, catalogue
):
    award = catalogue["BK_BO"]
    client.force_login(cast["admin"])
    response = client.get(_change_url(award))
    data = _form_data(response)
    terms_form = _terms_form(response, FIRST_DAY_NĐ152)
    data[terms_form.add_prefix("publicity_working_days")] = 7
    data[terms_form.add_prefix("valid_from")] = "2020-01-01"  # confirmed: ignored
    data["name"] = "Đổi tên"  # confirmed: not a field of the form, ignored
    response = client.post(_change_url(award), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    award.refresh_from_db()
    assert award.terms_on(FIRST_DAY_NĐ152).publicity_working_days == 7
    assert award.terms_on(FIRST_DAY_NĐ152).valid_from == FIRST_DAY_NĐ152
    assert award.terms_on(LAST_DAY_NĐ98).publicity_working_days == 5
    assert award.name == "Bằng khen của Bộ trưởng Bộ Công Thương"
    assert award.terms_on(FIRST_DAY_NĐ152).history.count() == 1  # this change is kept


def test_a_confirmed_value_cannot_be_changed_in_the_admin(client, cast, catalogue):
    award = catalogue["CSTDTQ"]
    client.force_login(cast["admin"])
    response = client.get(_change_url(award))
    data = _form_data(response)
    terms_form = _terms_form(response, FIRST_DAY_NĐ152)
    data[terms_form.add_prefix("publicity_working_days")] = 3  # [C] NĐ 152 Art 44.2
    data[terms_form.add_prefix("publicity_source")] = "made up"
    response = client.post(_change_url(award), data)
    assert response.status_code == 302
    terms = award.terms_on(FIRST_DAY_NĐ152)
    assert terms.publicity_working_days == 10
    assert terms.publicity_source == "Nghị định 152/2025/NĐ-CP, Điều 44.2"


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "refused"),
    [
        pytest.param("2025-06-30", "", True, id="NĐ152: a period starting 30/06/2025 overlaps"),
        pytest.param("2026-01-01", "", True, id="NĐ152: a second open period overlaps"),
        pytest.param("2023-01-01", "2024-01-01", True, id="NĐ98: ends on its first day"),
        pytest.param("2023-01-01", "2023-12-31", False, id="NĐ98: the day before → allowed"),
    ],
)
def test_overlapping_periods_are_refused_in_the_admin(
    client, cast, catalogue, valid_from, valid_until, refused
):
    award = catalogue["CSTDCS"]
    client.force_login(cast["admin"])
    response = client.get(_change_url(award))
    data = _form_data(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data.update(
        {
            f"{prefix}-{index}-valid_from": valid_from,
            f"{prefix}-{index}-valid_until": valid_until,
            f"{prefix}-{index}-secret_ballot": "on",
            f"{prefix}-{index}-ballot_threshold_percent": 80,
            f"{prefix}-{index}-ballot_source": "Quyết định thử",
            f"{prefix}-{index}-publicity_working_days": 0,
            f"{prefix}-{index}-publicity_source": "Quyết định thử",
        }
    )
    response = client.post(_change_url(award), data)
    assert award.terms.count() == (2 if refused else 3)
    if refused:
        assert response.status_code == 200
        assert "overlap" in response.content.decode() or "chồng" in response.content.decode()
    else:
        assert response.status_code == 302
        added = award.terms.get(valid_from=datetime.date(2023, 1, 1))
        assert set(added.unconfirmed) == set(AwardTerms.ADJUSTABLE)  # the administrator's own


def test_a_wrong_rule_code_is_refused_in_the_admin(client, cast, catalogue):
    award = catalogue["TTLDTT"]
    client.force_login(cast["admin"])
    data = _form_data(client.get(_change_url(award)))
    data.update({"rule_codes": '["no_such_rule"]', "rule_params": '{"ldtt_above_percent": 50}'})
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


def test_the_secretary_reads_each_periods_values_with_their_sources(client, cast, catalogue):
    """NĐ 98 Art 30.7/46.2 until 30/06/2025, NĐ 152 Art 44.2 from 01/07/2025: both shown."""
    client.force_login(cast["secretary"])
    page = client.get(_change_url(catalogue["CSTD_BO"])).content.decode()
    assert "Nghị định 98/2023/NĐ-CP, Điều 46.2" in page
    assert "Nghị định 152/2025/NĐ-CP, Điều 44.2" in page
    listing = client.get(reverse("admin:awards_awardtype_changelist")).content.decode()
    assert "[U]" in listing and "Nghị định 152/2025/NĐ-CP" in listing
