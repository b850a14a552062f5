"""Checks an uploaded dossier file by its size and its content, not only by its name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Extension → the content type its content must prove.
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, JPG, PNG"
ACCEPT = ",".join(ALLOWED)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def _sniff(upload) -> str | None:
    """The content type the bytes prove, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        # Office Open XML: a zip with a content-types part and the main part of its kind.
        # Only the directory is read; nothing is extracted.
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def check_upload(upload) -> CheckedFile:
    """Refuses a file that is empty, too large, of a type not allowed or not what it claims."""
    name = PurePath(upload.name or "").name
    limit = settings.MAX_UPLOAD_SIZE
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    expected = ALLOWED.get(PurePath(name).suffix.lower())
    if expected is None:
        raise ValidationError(
            _("Only these files are accepted: %(types)s.") % {"types": ALLOWED_LABEL},
            code="type",
        )
    if _sniff(upload) != expected:
        raise ValidationError(
            _("The content of “%(name)s” does not match its type: upload a real %(type)s file.")
            % {"name": name, "type": PurePath(name).suffix.lstrip(".").upper()},
            code="content",
        )
    return CheckedFile(name=name[:255], content_type=expected, size=upload.size)
