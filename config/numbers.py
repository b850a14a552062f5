"""Numbers as people type and read them: Vietnamese `1.234,5`, English `1,234.5`.

One parser and one formatter used by every form field and page that shows a number. Python's
`Decimal()` is too lenient for typed input (it reads `1_000`, `1e3`, `NaN`, `Infinity` and
non-ASCII digits) and Django's `sanitize_separators` simply drops the thousands separator,
so a Vietnamese `1.5` becomes 15. Here the separators of the page's language are strict:
thousands only between groups of three digits, one decimal separator, ASCII digits only.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# (decimal separator, thousands separator) per interface language.
SEPARATORS = {"vi": (",", "."), "en": (".", ",")}
MINUS_SIGNS = "-\u2212"  # hyphen-minus and the typographic minus some keyboards give
SPACES = " \u00a0\u202f\t"


def _code(language: str | None) -> str:
    code = (language or translation.get_language() or "vi").split("-")[0]
    return code if code in SEPARATORS else "vi"


def separators(language: str | None = None) -> tuple[str, str]:
    """The (decimal, thousands) separators of a language (the active one by default)."""
    return SEPARATORS[_code(language)]


def _pattern(decimal: str, thousands: str) -> re.Pattern:
    d, t = re.escape(decimal), re.escape(thousands)
    return re.compile(rf"(?P<int>[0-9]{{1,3}}(?:{t}[0-9]{{3}})+|[0-9]+)?(?:{d}(?P<frac>[0-9]+))?")


_PATTERNS = {code: _pattern(*seps) for code, seps in SEPARATORS.items()}


def examples(language: str | None = None) -> dict[str, str]:
    """How numbers are written in the language, for error messages: `1,5` and `1.234,5`."""
    return {
        "short": format_number(Decimal("1.5"), language=language),
        "long": format_number(Decimal("1234.5"), language=language),
    }


def parse_number(text: str, language: str | None = None) -> Decimal | None:
    """The Decimal written in `text`, None when it is blank; ValidationError otherwise."""
    if text is None:
        return None
    text = str(text).strip(SPACES)
    if not text:
        return None
    negative = text[0] in MINUS_SIGNS
    if negative or text[0] == "+":
        text = text[1:]
    code = _code(language)
    thousands = SEPARATORS[code][1]
    match = _PATTERNS[code].fullmatch(text)
    if match is None or not (match["int"] or match["frac"]):
        raise ValidationError(
            _("Enter a number written like %(short)s or %(long)s."),
            code="invalid",
            params=examples(language),
        )
    digits = (match["int"] or "0").replace(thousands, "")
    if match["frac"]:
        digits += "." + match["frac"]
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain digits
        raise ValidationError(_("Enter a number."), code="invalid") from None
    return -value if negative and value else value


def format_number(
    value, *, language: str | None = None, decimals: int = 2, grouping: bool = True
) -> str:
    """A number in the language's style, rounded to `decimals` places with the trailing zeros
    dropped: 15 → `15`, 1.5 → `1,5`, 1234.5 → `1.234,5` (grouping) or `1234,5` (for inputs).
    None and "" give "" so that templates choose their own dash."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return ""
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    decimal, thousands = separators(language)
    if grouping:
        whole = f"{int(whole):,}".replace(",", thousands)
    return sign + whole + (decimal + fraction if fraction else "")


class NumberInput(forms.TextInput):
    """A text box for a number: `inputmode` brings up the digits keyboard, while the page's
    own separators and the server's checks apply (an `<input type=number>` would reject a
    comma, or block an out-of-range value silently, without ever sending it)."""

    def __init__(self, attrs=None, *, inputmode: str = "decimal") -> None:
        super().__init__({"inputmode": inputmode, "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format_number(value, grouping=False)
        return super().format_value(value)


class LocalizedDecimalField(forms.DecimalField):
    """A DecimalField that reads and shows numbers in the page's language."""

    widget = NumberInput

    def widget_attrs(self, widget):
        return {}  # no min/max/step in the page: the server decides and says why

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        return parse_number(value)

    def validate(self, value):
        forms.Field.validate(self, value)


class LocalizedIntegerField(forms.IntegerField):
    """An IntegerField that reads numbers in the page's language and refuses fractions."""

    widget = NumberInput
    default_error_messages = {"invalid": _("Enter a whole number.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def widget_attrs(self, widget):
        return {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = parse_number(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


# For ModelAdmin.formfield_overrides: the admin's decimal inputs read the page's language too.
ADMIN_NUMBER_FIELDS = {models.DecimalField: {"form_class": LocalizedDecimalField}}
