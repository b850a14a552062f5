"""Text typed or imported by users: line breaks kept, control characters kept out of documents.

Word's manual line break is a vertical tab (U+000B) when pasted; it becomes a line break at
input. Other control characters are refused at input (`text_normalise`), and anything of the
kind already stored is dropped where text goes into a document or a spreadsheet (`xml_safe`):
XML 1.0, and so DOCX and XLSX, cannot hold them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold at all (surrogates and U+FFFE/U+FFFF included).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})


def text_normalise(value: Any) -> Any:
    """A vertical tab (Word's manual line break) becomes a line break; any other control
    character is refused with a ValidationError (code "control_character")."""
    if not isinstance(value, str):
        return value
    value = value.replace("\x0b", "\n")
    found = CONTROL.search(value)
    if found:
        raise ValidationError(
            _(
                "The text contains a control character (U+%(code)04X) that cannot be printed; "
                "remove it (it usually comes from copying out of another program)."
            ),
            code="control_character",
            params={"code": ord(found.group())},
        )
    return value


def xml_safe(value: Any) -> Any:
    """Text as a document or spreadsheet can hold it: page and line separators as line breaks,
    other control characters dropped. Anything but text is returned as it is."""
    if not isinstance(value, str):
        return value
    return NOT_XML.sub("", value.translate(LINE_BREAKS))


def _normalising(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def wrapped(value: Any) -> Any:
        return text_normalise(to_python(value))

    return wrapped


def normalise_text_fields(form) -> None:
    """Make every text field of a form normalise its value (see `text_normalise`)."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not getattr(field, "_text_normalised", False):
            field.to_python = _normalising(field.to_python)
            field._text_normalised = True


class NormalisedTextForm:
    """Form mixin: every text field normalises its value (see `text_normalise`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        normalise_text_fields(self)
