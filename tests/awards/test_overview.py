"""The awards overview: its figures on a small hand-built set (the right answers written here),
who may see it, the htmx partials, the export, the links to it and constant query counts."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import (
    Meeting,
    Nomination,
    Publication,
    PublicComment,
)
from tests.awards.overview_world import D, build_world, meeting, nominate, publish
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from units.models import Membership, Unit

pytestmark = pytest.mark.django_db

URL = "/awards/overview/"
EXPORT = "/awards/overview/export.xlsx"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(cast, catalogue, ministry, unit, sub_unit, other_unit, council, members, today):
    return build_world(catalogue, unit, sub_unit, other_unit, council, members)


def _table(body: str) -> dict[str, list[str]]:
    """The cross table as {row header: [cells…]} with the column headers under "Trạng thái"."""
    start = body.index('<table class="table cross-table">')
    html = body[start : body.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def _stats(body: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", body))


def test_the_board_sees_the_years_nominations_by_status_and_award(client, cast, world):
    client.force_login(cast["board"])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<option value="2024" selected>2024</option>' in body  # the latest year by default
    table = _table(body)
    assert table["Trạng thái"] == [
        "LĐTT",
        "CSTĐCS",
        "CSTĐ Bộ",
        "Bằng khen Bộ",
        "Bằng khen Thủ tướng",
        "Tổng",
    ]
    assert table["Bản nháp"] == ["0", "1", "0", "0", "0", "1"]
    assert table["Trả lại đơn vị"] == ["0", "0", "0", "1", "0", "1"]
    assert table["Đang thẩm định"] == ["0", "0", "0", "0", "0", "0"]
    assert table["Đưa vào phiên họp"] == ["0", "2", "1", "0", "0", "3"]
    assert table["Đang công khai lấy ý kiến"] == ["0", "0", "1", "1", "0", "2"]
    assert table["Đã trình cấp trên"] == ["0", "0", "0", "0", "1", "1"]
    assert table["Đã rút"] == ["1", "0", "0", "0", "0", "1"]
    assert table["Tổng"] == ["1", "5", "3", "4", "1", "14"]
    assert len(table) == 1 + 13 + 1  # header, every status, totals
    assert _stats(body) == {
        "Tại đơn vị": "2",
        "Đang thẩm định": "1",
        # In publicity before the council (NĐ 152/2025 Art 44.2): with the board.
        "Hội đồng đang xét": "6",
        "Đã thông qua, chờ quyết định": "1",
        "Đã quyết định hoặc trình cấp trên": "2",
        "Kết thúc không khen thưởng": "2",
    }
    assert '<span class="figure">14</span>' in body


def test_the_year_and_the_filters_choose_the_nominations(client, cast, world):
    client.force_login(cast["secretary"])
    body = client.get(URL, {"year": "2023"}).content.decode()
    assert _table(body)["Tổng"] == ["1", "1", "2"]  # CSTĐCS, BK Bộ
    body = client.get(URL, {"kind": "enterprise"}).content.decode()
    assert _table(body)["Tổng"] == ["1", "1", "1", "3"]  # Chi cục A1 only: LĐTT, CSTĐCS, BK Bộ
    body = client.get(URL, {"nominee": "unit"}).content.decode()
    assert _table(body)["Tổng"] == ["1", "1", "2"]  # BK Bộ of Cục A, BK TTg of Cục B
    # A bad value falls back to its default instead of failing.
    body = client.get(URL, {"year": "1999", "kind": "nope", "nominee": "x"}).content.decode()
    assert _table(body)["Tổng"][-1] == "14"
    body = client.get(URL, {"year": "2030"}).content.decode()
    assert '<option value="2024" selected>' in body


def test_meetings_ahead_and_open_windows(client, cast, world):
    client.force_login(cast["board"])
    body = client.get(URL).content.decode()
    meetings = body[body.index('id="meetings"') : body.index('id="publicity"')]
    rows = re.findall(r"<tr>(.*?)</tr>", meetings, re.S)[1:]
    # Soonest first: the open ballot of yesterday, then 20/05 and 10/06; not the closed, the
    # cancelled or the one of 02/05 whose ballot never opened.
    assert [re.search(r"\d\d/\d\d/\d{4}", row).group() for row in rows] == [
        "09/05/2025",
        "20/05/2025",
        "10/06/2025",
    ]
    assert "1 hồ sơ" in rows[0] and "Đã bỏ 3/5 phiếu" in rows[0]
    assert "Phiên họp tháng 5" in rows[1] and "2 hồ sơ" in rows[1] and "Đã lên lịch" in rows[1]
    assert "0 hồ sơ" in rows[2]
    assert reverse("awards:meeting", args=[world["m"]["may"].pk]) in rows[1]
    publicity = body[body.index('id="publicity"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", publicity, re.S)[1:]
    assert len(rows) == 2  # not the closed window nor the one that opens on 12/05
    assert "Phạm Văn Bình Chọn" in rows[0] and "14/05/2025" in rows[0]
    assert "Lê Thị Công Khai" in rows[1] and "16/05/2025" in rows[1]
    assert re.search(r">3 <small>\(1 chờ duyệt\)</small>", rows[1])
    assert reverse("awards:detail", args=[world["n"][8].pk]) + "#comments" in rows[1]


def test_a_head_sees_only_the_figures_of_their_units(client, cast, world):
    client.force_login(cast["head"])
    body = client.get(URL).content.decode()
    table = _table(body)
    assert table["Trạng thái"] == ["LĐTT", "CSTĐCS", "CSTĐ Bộ", "Bằng khen Bộ", "Tổng"]
    assert table["Tổng"] == ["1", "4", "2", "2", "9"]
    assert table["Đưa vào phiên họp"] == ["0", "1", "1", "0", "2"]
    meetings = body[body.index('id="meetings"') : body.index('id="publicity"')]
    rows = re.findall(r"<tr>(.*?)</tr>", meetings, re.S)[1:]
    # Only the meetings with their units' nominations, the agenda counting those; no link to
    # the meeting page, which is the council's.
    assert len(rows) == 2 and "1 hồ sơ" in rows[0] and "1 hồ sơ" in rows[1]
    assert reverse("awards:meeting", args=[world["m"]["may"].pk]) not in meetings
    publicity = body[body.index('id="publicity"') :]
    assert "Lê Thị Công Khai" in publicity and "Phạm Văn Bình Chọn" not in publicity


def test_cells_link_to_the_nomination_list_when_it_shows_the_same_nominations(client, cast, world):
    list_url = reverse("awards:list")
    client.force_login(cast["secretary"])
    body = client.get(URL).content.decode()
    assert f'{list_url}?year=2024&amp;status=draft&amp;award=CSTDCS"' in body
    # Filters the list does not have: no links.
    body = client.get(URL, {"kind": "agency"}).content.decode()
    assert f"{list_url}?year=" not in body
    # The board reads nominations once they reach it: drafts are counted, not linked.
    client.force_login(cast["board"])
    body = client.get(URL).content.decode()
    assert "status=draft" not in body and "status=in_review&amp;award=BK_BO" in body


# --- htmx, the chart and the export ------------------------------------------------------------


def test_htmx_gets_the_part_of_the_page_it_targets(client, cast, world):
    client.force_login(cast["board"])
    body = client.get(URL, {"year": "2023"}, headers=HTMX).content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="overview-results">')
    assert 'hx-push-url="true"' in body and 'id="meetings"' not in body
    assert f"{EXPORT}?year=2023" in body  # the export keeps the filters
    body = client.get(URL, headers={**HTMX, "HX-Target": "meetings"}).content.decode()
    assert body.lstrip().startswith('<div id="meetings">') and "overview-results" not in body
    body = client.get(URL, headers={**HTMX, "HX-Target": "publicity"}).content.decode()
    assert body.lstrip().startswith('<div id="publicity">') and "Lê Thị Công Khai" in body


def test_the_lists_page_in_place_and_keep_the_rest_of_the_state(client, cast, world, monkeypatch):
    from awards.selectors import overview

    monkeypatch.setattr(overview, "PAGE_SIZE", 1)
    client.force_login(cast["board"])
    body = client.get(URL, {"year": "2023"}).content.decode()
    meetings = body[body.index('id="meetings"') : body.index('id="publicity"')]
    assert "Trang 1 / 3" in meetings and 'rel="prev"' not in meetings
    assert 'hx-get="?mpage=2&amp;year=2023" hx-target="#meetings"' in meetings
    publicity = body[body.index('id="publicity"') :]
    assert "Trang 1 / 2" in publicity and 'hx-target="#publicity"' in publicity
    part = client.get(
        URL, {"year": "2023", "mpage": "3"}, headers={**HTMX, "HX-Target": "meetings"}
    ).content.decode()
    assert part.lstrip().startswith('<div id="meetings">') and "Trang 3 / 3" in part
    assert "10/06/2025" in part and 'rel="next"' not in part
    assert 'href="?mpage=2&amp;year=2023" hx-get="?mpage=2&amp;year=2023"' in part


def test_the_chart_is_svg_with_text_alternatives_and_no_inline_style(client, cast, world):
    client.force_login(cast["board"])
    body = client.get(URL).content.decode()
    start = body.index('<svg class="chart-svg bar-chart"')
    chart = body[start : body.index("</svg>", start)]
    assert 'role="img"' in chart and '<title id="stage-chart-title">' in chart
    assert '<desc id="stage-chart-desc">' in chart and "14" in chart
    assert chart.count("<rect") == 6 and "Hội đồng đang xét: 6" in chart
    assert "style=" not in body and "<script>" not in body
    # The longest bar (6, with the board) fills the width left for it; the others in proportion.
    widths = re.findall(r'<rect x="8" y="[\d.]+" width="([\d.]+)"', chart)
    assert widths == ["112.0", "56.0", "336.0", "56.0", "112.0", "112.0"]


def test_the_export_has_the_tables_with_the_filters_applied(client, cast, world):
    client.force_login(cast["board"])
    response = client.get(EXPORT, {"nominee": "person", "mpage": "2"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="awards-overview-2024.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Đề nghị khen thưởng",
        "Phiên họp sắp tới",
        "Đang công khai",
    ]
    summary = dict(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert summary["Năm thành tích"] == 2024 and summary["Đối tượng đề nghị"] == "Cá nhân"
    assert summary["Số đề nghị"] == 12 and summary["Hội đồng đang xét"] == 6
    assert (summary["Phiên họp sắp tới"], summary["Đợt công khai đang mở"]) == (3, 2)
    rows = list(book["Đề nghị khen thưởng"].iter_rows(values_only=True))
    assert rows[0] == ("Trạng thái", "LĐTT", "CSTĐCS", "CSTĐ Bộ", "Bằng khen Bộ", "Tổng")
    assert rows[-1] == ("Tổng", 1, 5, 3, 3, 12)
    assert len(rows) == 1 + 13 + 1
    meetings = list(book["Phiên họp sắp tới"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in meetings] == ["09/05/2025", "20/05/2025", "10/06/2025"]
    assert meetings[0][3:] == (1, "Đang bỏ phiếu: đã bỏ 3/5 phiếu")
    assert (meetings[1][1], meetings[1][3], meetings[1][4]) == (
        "Phiên họp tháng 5",
        2,
        "Chưa mở bỏ phiếu",
    )
    windows = list(book["Đang công khai"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[5], row[6], row[7]) for row in windows] == [
        ("Phạm Văn Bình Chọn", "14/05/2025", 0, 0),
        ("Lê Thị Công Khai", "16/05/2025", 3, 1),
    ]


def test_the_export_neutralises_formulas(client, cast, world):
    Publication.objects.filter(nomination=world["n"][8]).update(
        nominee_name='=HYPERLINK("http://evil","x")', unit_name="@SUM(1+1)"
    )
    Meeting.objects.filter(pk=world["m"]["may"].pk).update(location="+84 Hà Nội")
    client.force_login(cast["secretary"])
    book = load_workbook(io.BytesIO(client.get(EXPORT).content))
    windows = {row[5]: row for row in book["Đang công khai"].iter_rows(min_row=2, values_only=True)}
    assert windows["16/05/2025"][:2] == ('\'=HYPERLINK("http://evil","x")', "'@SUM(1+1)")
    meetings = list(book["Phiên họp sắp tới"].iter_rows(min_row=2, values_only=True))
    assert meetings[1][2] == "'+84 Hà Nội"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_a_year_without_nominations_shows_an_empty_table(client, cast, today):
    client.force_login(cast["board"])
    body = client.get(URL).content.decode()
    assert '<option value="2025" selected>2025</option>' in body
    assert "Không có đề nghị nào" in body and "cross-table" not in body
    assert "Không có phiên họp nào" in body and "Hôm nay không có" in body
    book = load_workbook(io.BytesIO(client.get(EXPORT).content))
    assert list(book["Đề nghị khen thưởng"].iter_rows(values_only=True))[-1] == ("Tổng", 0)


# --- who may see it ------------------------------------------------------------------------------

ROLES = ["officer", "head", "parent_head", "outsider", "board", "secretary", "admin", "anonymous"]
EXPECTED = {
    "officer": 404,
    "head": 200,
    "parent_head": 200,
    "outsider": 404,
    "board": 200,
    "secretary": 200,
    "admin": 200,
    "anonymous": "login",
}


@pytest.fixture
def users(cast, ministry):
    parent_head = UserFactory(username="parent_head")
    MembershipFactory(user=parent_head, unit=ministry, role=Membership.Role.HEAD)
    return {**cast, "parent_head": parent_head}


def _get(client, users, role, url, **kwargs):
    if role != "anonymous":
        client.force_login(users[role])
    return client.get(url, **kwargs)


def _check(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (URL, {}),
        (URL, HTMX),
        (URL, {**HTMX, "HX-Target": "meetings"}),
        (URL, {**HTMX, "HX-Target": "publicity"}),
        (EXPORT, {}),
    ],
)
def test_who_may_see_the_overview(client, users, world, role, url, headers):
    _check(_get(client, users, role, url, headers=headers), EXPECTED[role])


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_the_overview_is_read_only(client, users, url):
    client.force_login(users["board"])
    assert client.post(url).status_code == 405


def test_a_head_of_a_parent_unit_sees_the_subtree(client, users, world):
    body = _get(client, users, "parent_head", URL).content.decode()
    assert _table(body)["Tổng"][-1] == "14"  # the Ministry heads every unit


def test_the_overview_is_linked_for_those_who_may_see_it(client, users, campaign, today):
    link = reverse("awards:overview")
    for role, shown in [("board", True), ("head", True), ("officer", False), ("outsider", False)]:
        body = _get(client, users, role, reverse("home")).content.decode()
        assert (f'href="{link}"' in body) is shown, role
    dashboard = _get(client, users, "head", reverse("campaigns:dashboard", args=[campaign.code]))
    assert f'href="{link}"' in dashboard.content.decode()
    nominations = _get(client, users, "secretary", reverse("awards:list")).content.decode()
    assert f'href="{link}"' in nominations


# --- constant query counts ------------------------------------------------------------------------


def grow(world, catalogue, council, extra: int) -> None:
    """More of everything: units, nominations of every award and status over three years,
    meetings ahead with agendas, open windows with comments."""
    awards = list(catalogue)
    statuses = list(Nomination.Status.values)
    head_unit = Unit.objects.get(code="cuc-a")
    units = [
        UnitFactory(
            code=f"grown-{i}", kind=Unit.Kind.ENTERPRISE, parent=head_unit if i % 2 else None
        )
        for i in range(10)
    ]
    nominations = []
    for i in range(extra):
        nominations.append(
            nominate(
                units[i % 10],
                awards[i % len(awards)],
                statuses[i % len(statuses)],
                year=2022 + i % 3,
                catalogue=catalogue,
            )
        )
    for i in range(6):
        meeting(council, D(2025, 7, 1 + i), agenda=nominations[i * 5 : i * 5 + 5])
    for i, nomination in enumerate(nominations[:12]):
        publication = publish(nomination, opens_on=D(2025, 5, 9), closes_on=D(2025, 5, 20 + i))
        PublicComment.objects.create(publication=publication, name="A", contact="a", text="b")


PAGES = {
    "page": (URL, {}, {}),
    "filtered": (URL, {"year": "2023", "kind": "enterprise", "nominee": "person"}, {}),
    "results partial": (URL, {"province": "Hà Nội"}, HTMX),
    "meetings partial": (URL, {}, {**HTMX, "HX-Target": "meetings"}),
    "publicity partial": (URL, {}, {**HTMX, "HX-Target": "publicity"}),
    "export": (EXPORT, {"bloc": "nope"}, {}),
}


def _count(client, page) -> int:
    url, params, headers = PAGES[page]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, headers=headers)
    assert response.status_code == 200, page
    return len(queries)


@pytest.mark.parametrize("reader", ["board", "head"])
@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_the_same_number_of_queries_at_two_sizes(
    client, cast, world, catalogue, council, reader, page, django_assert_max_num_queries
):
    client.force_login(cast[reader])
    client.get(URL)  # the reader's roles are cached from the first page on, as in use
    small = _count(client, page)
    grow(world, catalogue, council, extra=150)
    assert Nomination.objects.count() > 150
    large = _count(client, page)
    with django_assert_max_num_queries(16):
        url, params, headers = PAGES[page]
        client.get(url, params, headers=headers)
    assert small == large, f"{page}: {small} queries with 16 nominations, {large} with 166"
