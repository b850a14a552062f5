"""Checks every uploaded file by its content as well as its name before it is stored."""

from __future__ import annotations

import re
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


# An Office file is a zip: its parts may expand far beyond the upload's size (a "zip bomb").
# The declared sizes of all parts, and the main part as it really decompresses, stay below this.
MAX_EXPANDED_SIZE = 50 * 1024 * 1024
# Bidirectional controls make "gpj.exe" display as "exe.jpg"; control characters break the
# documents and spreadsheets that list file names.
HIDDEN_IN_NAMES = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x00-\x1f\x7f-\x9f]")

ALLOWED_LABEL = "PDF, DOCX, XLSX, JPG, PNG"
ACCEPT = ",".join(ALLOWED)


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse a file that is too large, of a kind not allowed, or whose content lies."""
    name = HIDDEN_IN_NAMES.sub("", PurePath(upload.name or "").name)
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
        if valid and _expands_too_far(upload, office_part):
            raise ValidationError(
                _("“%(name)s” expands to more than %(limit)s when opened; it is refused.")
                % {"name": name, "limit": filesizeformat(_expanded_limit())},
                code="expands",
            )
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


def _expanded_limit() -> int:
    return getattr(settings, "MAX_EXPANDED_SIZE", MAX_EXPANDED_SIZE)


def _expands_too_far(upload: UploadedFile, part: str) -> bool:
    """The declared sizes add up past the limit, or the main part really decompresses past it
    (read in chunks and stopped at the limit, so the check itself stays cheap)."""
    limit = _expanded_limit()
    try:
        with zipfile.ZipFile(upload) as archive:
            if sum(info.file_size for info in archive.infolist()) > limit:
                return True
            read = 0
            with archive.open(part) as stream:
                while chunk := stream.read(1024 * 1024):
                    read += len(chunk)
                    if read > limit:
                        return True
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return True
    finally:
        upload.seek(0)
    return False
