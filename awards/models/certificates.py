"""The certificate template: a DOCX with placeholders, replaceable by the administrator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def certificate_template_path(instance: CertificateTemplate, filename: str) -> str:
    import uuid

    return f"certificate-templates/{uuid.uuid4().hex}.docx"


class CertificateTemplate(models.Model):
    """One page of a certificate (A4 landscape) with placeholders such as {{ name }}; the
    latest uploaded one prints every decision's certificates (the shipped one until then)."""

    name = models.CharField(_("name"), max_length=150)
    file = models.FileField(_("DOCX template"), upload_to=certificate_template_path, max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.name
