"""The unit browser (/units/): the sector's units, for the board and the administrators."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", 404),
        ("head", 404),
        ("outsider", 404),
        ("board", 200),
        ("secretary", 200),
        ("admin", 200),
    ],
)
def test_unit_browser_is_for_the_board_and_administrators(client, cast, role, expected):
    client.force_login(cast[role])
    assert client.get(reverse("units:list")).status_code == expected
