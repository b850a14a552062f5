"""The certificate template: the administrator uploads a DOCX replacing the shipped one."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from awards.documents.blocks import DOCX
from awards.documents.certificates import PLACEHOLDERS, shipped_template, template_problems
from awards.models import CertificateTemplate

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


class CertificateTemplateForm(forms.ModelForm):
    class Meta:
        model = CertificateTemplate
        fields = ["name", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(_("The template may be at most 10 MB."))
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(_("Upload a Word document (.docx)."))
        data = upload.read()
        upload.seek(0)
        problems = template_problems(data)
        if problems:
            raise forms.ValidationError(problems)
        return upload


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    form = CertificateTemplateForm
    list_display = ["name", "uploaded_at", "uploaded_by"]
    readonly_fields = ["placeholders", "shipped"]

    @admin.display(description=_("Placeholders"))
    def placeholders(self, obj=None):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><code>{}</code> — {}</li>",
                (("{{ " + name + " }}", text) for name, text in PLACEHOLDERS.items()),
            ),
        )

    @admin.display(description=_("Shipped template"))
    def shipped(self, obj=None):
        return format_html('<a href="shipped.docx">{}</a>', _("Download the shipped template"))

    def get_urls(self):
        return [
            path(
                "add/shipped.docx",
                self.admin_site.admin_view(self.shipped_view),
                name="awards_certificatetemplate_shipped",
            ),
            *super().get_urls(),
        ]

    def shipped_view(self, request):
        response = HttpResponse(shipped_template(), content_type=DOCX)
        response["Content-Disposition"] = 'attachment; filename="mau-bang-khen.docx"'
        return response

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
