"""Checks every uploaded file by its content as well as its name before it is stored."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> (MIME type, what filetype must detect, a part an Office file must contain)
ALLOWED = {
    ".pdf": ("application/pdf", "pdf", None),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "word/document.xml",
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "xl/workbook.xml",
    ),
    ".jpg": ("image/jpeg", "jpg", None),
    ".jpeg": ("image/jpeg", "jpg", None),
    ".png": ("image/png", "png", None),
}


ALLOWED_LABEL = "PDF, DOCX, XLSX, JPG, PNG"
ACCEPT = ",".join(ALLOWED)


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse a file that is too large, of a kind not allowed, or whose content lies."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("Only PDF, DOCX, XLSX, JPG and PNG files are accepted."), code="extension"
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
            },
            code="size",
        )
    content_type, expected_kind, office_part = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess(head)
    if office_part is not None:
        valid = _zip_has(upload, office_part)
    else:
        valid = detected is not None and detected.extension == expected_kind
    if not valid:
        raise ValidationError(
            _("The content of “%(name)s” is not a valid %(kind)s file.")
            % {"name": name, "kind": extension.lstrip(".").upper()},
            code="content",
        )
    return CheckedUpload(name=name[:255], content_type=content_type, size=upload.size)


def _zip_has(upload: UploadedFile, part: str) -> bool:
    """An Office Open XML file of the right kind, without macros; only the directory is read."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return False
    return part in names
