"""Text typed into the app's forms: Word's line break kept as a line break, other control
characters refused (they break the documents and spreadsheets made from the text)."""

import pytest

from campaigns.forms import LineForm, ReasonForm
from config.text import xml_safe


def test_a_vertical_tab_becomes_a_line_break_in_a_report_line():
    form = LineForm(data={"narrative": "Một\x0bHai", "version": 1})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["narrative"] == "Một\nHai"


@pytest.mark.parametrize("control", ["\x0c", "\x01", "\x1b", "\x7f", "\x85"])
def test_other_control_characters_are_refused_with_a_message(control):
    form = ReasonForm(data={"reason": f"Lý{control} do"})
    assert not form.is_valid()
    assert f"U+{ord(control):04X}" in str(form.errors["reason"])


def test_tabs_and_line_breaks_are_kept():
    form = ReasonForm(data={"reason": "Một\tHai\r\nBa"})
    assert form.is_valid(), form.errors


def test_xml_safe_keeps_the_text_a_document_can_hold():
    assert xml_safe("a\x0bb\x0cc\x00d\ud800e\tf\ng") == "a\nb\ncd" + "e\tf\ng"
    assert xml_safe(None) is None and xml_safe(3) == 3
