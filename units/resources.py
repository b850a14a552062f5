from django.utils.translation import gettext as _
from import_export import fields, widgets

from config.resources import CodeForeignKeyWidget, StrictModelResource
from units.models import EmulationBloc, Person, Unit


class YesNoWidget(widgets.BooleanWidget):
    """1/0, true/false, có/không (any case); empty is None. Anything else is an error, not a
    silent "no"."""

    TRUE_WORDS = {"1", "true", "yes", "có", "x"}
    FALSE_WORDS = {"0", "false", "no", "không"}

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in self.TRUE_WORDS:
            return True
        if word in self.FALSE_WORDS:
            return False
        raise ValueError(_("“%(value)s” is not yes or no: write 1 or 0.") % {"value": value})


class UnitResource(StrictModelResource):
    """Units by code; a parent must be listed before (or exist already) its children.

    `commendation_authority` (Law Art 80): 1 or 0; left empty or without the column, a new unit
    takes it from its kind (Unit.AUTHORITY_KINDS) and an existing one keeps its value."""

    parent = fields.Field(
        attribute="parent", column_name="parent", widget=CodeForeignKeyWidget(Unit)
    )
    bloc = fields.Field(
        attribute="bloc", column_name="bloc", widget=CodeForeignKeyWidget(EmulationBloc)
    )
    commendation_authority = fields.Field(
        attribute="commendation_authority",
        column_name="commendation_authority",
        widget=YesNoWidget(),
    )

    class Meta:
        model = Unit
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "name_en",
            "short_name",
            "kind",
            "parent",
            "bloc",
            "province",
            "opened_on",
            "closed_on",
            "email",
            "commendation_authority",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "commendation_authority":
            value = row.get(field.column_name)
            if value is None or value == "":
                return  # empty: decided in before_save_instance
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None and row.get("commendation_authority") in (None, ""):
            instance.commendation_authority = instance.kind in Unit.AUTHORITY_KINDS
        super().before_save_instance(instance, row, **kwargs)


class PersonResource(StrictModelResource):
    unit = fields.Field(attribute="unit", column_name="unit", widget=CodeForeignKeyWidget(Unit))

    class Meta:
        model = Person
        import_id_fields = ["code"]
        fields = [
            "code",
            "full_name",
            "unit",
            "position",
            "date_of_birth",
            "sex",
            "hometown",
            "qualifications",
            "email",
            "active",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
