from import_export import fields

from config.resources import CodeForeignKeyWidget, StrictModelResource
from units.models import EmulationBloc, Person, Unit


class UnitResource(StrictModelResource):
    """Units by code; a parent must be listed before (or exist already) its children."""

    parent = fields.Field(
        attribute="parent", column_name="parent", widget=CodeForeignKeyWidget(Unit)
    )
    bloc = fields.Field(
        attribute="bloc", column_name="bloc", widget=CodeForeignKeyWidget(EmulationBloc)
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
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


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
