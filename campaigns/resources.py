from django.utils.translation import gettext
from import_export import fields, widgets

from campaigns.models import Indicator, Objective
from config.resources import StrictModelResource


class ObjectiveWidget(widgets.ForeignKeyWidget):
    """An objective is written as "<campaign code>:<number>", e.g. "pttd-2021-2026:4"."""

    def __init__(self) -> None:
        super().__init__(Objective)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        campaign_code, _, number = str(value).strip().rpartition(":")
        if not campaign_code or not number.isdigit():
            raise ValueError(
                gettext("Write the objective as campaign code:number, e.g. pttd-2021-2026:4.")
            )
        try:
            return Objective.objects.get(campaign__code=campaign_code, number=int(number))
        except Objective.DoesNotExist:
            raise ValueError(
                gettext("Campaign “%(campaign)s” has no objective %(number)s.")
                % {"campaign": campaign_code, "number": number}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.campaign.code}:{value.number}" if value else ""


class IndicatorResource(StrictModelResource):
    objective = fields.Field(
        attribute="objective", column_name="objective", widget=ObjectiveWidget()
    )

    class Meta:
        model = Indicator
        import_id_fields = ["code"]
        fields = [
            "code",
            "objective",
            "name",
            "name_en",
            "measure",
            "measure_en",
            "kind",
            "direction",
            "rollup",
            "weight",
            "order",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None):
        return super().get_export_queryset(request).select_related("objective__campaign")
