"""Shared import-export behaviour: validate everything, write nothing unless every row is good."""

import datetime

from django.utils.translation import gettext
from import_export import resources, widgets
from import_export.results import Result

from config.text import text_normalise, xml_safe
from config.xlsx import FORMULA_STARTS


class XmlSafeExport:
    """Resource mixin: exported text loses the control characters a workbook cannot hold
    (stored before input refused them)."""

    def export_field(self, field, instance, **kwargs):
        return xml_safe(super().export_field(field, instance, **kwargs))


class DayWidget(widgets.DateWidget):
    """A date column read as dd/mm/yyyy (or yyyy-mm-dd, or a workbook's date cell); a bad value
    says which format to use, in the user's language."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, TypeError):
            raise ValueError(
                gettext("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 30/08/2021.")
                % {"value": value}
            ) from None


def choices_hint(choices) -> str:
    """`code (label), …` for the import page's list of accepted values."""
    return ", ".join(f"{code} ({label})" for code, label in choices)


class StrictModelResource(XmlSafeExport, resources.ModelResource):
    """A resource whose import is all-or-nothing.

    Model validation runs on every row (clean_model_instances), and a validation error in
    any row rolls the whole import back, in the admin's confirm step as well as in code.
    """

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        widget = super().widget_from_django_field(f, default)
        return DayWidget if widget is widgets.DateWidget else widget

    @classmethod
    def import_hints(cls) -> list[tuple[str, str]]:
        """(column, what it accepts) for the import page: date columns and choice columns."""
        hints = []
        for field in cls().get_user_visible_fields():
            widget = field.widget
            model_field = None
            if field.attribute and "__" not in field.attribute:
                try:
                    model_field = cls._meta.model._meta.get_field(field.attribute)
                except Exception:
                    model_field = None
            if isinstance(widget, widgets.DateWidget):
                hints.append((field.column_name, gettext("a date, dd/mm/yyyy (e.g. 30/08/2021)")))
            elif getattr(widget, "choices", None) is not None:
                hints.append((field.column_name, choices_hint(widget.choices.choices)))
            elif model_field is not None and model_field.choices:
                hints.append((field.column_name, choices_hint(model_field.flatchoices)))
        return hints

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Widgets raise ArithmeticError for a malformed number; report it against its column
        # like every other bad value instead of as a crash of the whole row.
        if isinstance(row.get(field.column_name), str):
            # A vertical tab becomes a line break; other control characters are refused
            # (reported against the column like any other bad value).
            row[field.column_name] = text_normalise(row[field.column_name])
        try:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        except ArithmeticError:
            raise ValueError(
                gettext("“%(value)s” is not a number.") % {"value": row.get(field.column_name)}
            ) from None

    def before_import_row(self, row, **kwargs):
        # An export writes text that looks like a formula with a leading apostrophe
        # (config.xlsx.neutralise); read it back as the text it was.
        for key, value in list(row.items()):
            if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_STARTS):
                row[key] = value[1:]
        super().before_import_row(row, **kwargs)

    def import_data(self, dataset, **kwargs) -> Result:
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        return super().import_data(dataset, **kwargs)


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related row up by its code and says which code was not found."""

    def __init__(self, model, field: str = "code", **kwargs) -> None:
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        value = str(value).strip()
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: value})
        except self.model.DoesNotExist:
            message = gettext("No %(model)s with code “%(code)s”.")
            raise ValueError(
                message % {"model": self.model._meta.verbose_name, "code": value}
            ) from None
