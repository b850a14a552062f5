"""Admin imports that cannot exhaust the server, and say what is wrong in the user's language.

Every upload is measured before it is parsed: its size (MAX_IMPORT_SIZE); for a workbook the
sizes its zip directory declares (MAX_IMPORT_UNZIPPED_SIZE, MAX_IMPORT_RATIO); and its row count
(MAX_IMPORT_ROWS), found by streaming the sheet and stopping at the limit, or by counting a
CSV's records. Headers are checked against the resource before any row is read into models.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import time
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.tmp_storages import TempFolderStorage

from config.xlsx import neutralise

MAX_SHOWN_ROW_ERRORS = 100
logger = logging.getLogger(__name__)


def _neutralise_dataset(dataset) -> None:
    """Text that a spreadsheet could read as a formula gets a leading apostrophe.

    Only text is touched: an empty cell stays empty and a flag stays a flag, so an export
    re-imports unchanged (StrictModelResource removes the apostrophe again).
    """
    for index in range(len(dataset)):
        row = dataset[index]
        dataset[index] = tuple(neutralise(value) for value in row)


class SafeXLSX(base_formats.XLSX):
    def _escape_formulae(self, dataset):
        _neutralise_dataset(dataset)

    def export_data(self, dataset, **kwargs):
        _neutralise_dataset(dataset)
        return super().export_data(dataset, **kwargs)


class SafeCSV(base_formats.CSV):
    def _escape_formulae(self, dataset):
        _neutralise_dataset(dataset)

    def export_data(self, dataset, **kwargs):
        _neutralise_dataset(dataset)
        return super().export_data(dataset, **kwargs)


SAFE_FORMATS = [SafeXLSX, SafeCSV]


class ImportRefused(ValueError):
    """The upload is refused; the message is for the user."""


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _xlsx_rows(data: bytes, limit: int) -> tuple[list, int, int]:
    """The header row, the rows after it (at most limit + 1 counted) and how many have data."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(_("This file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ImportRefused(_("This file is not an Excel workbook (.xlsx).")) from None
    unzipped = sum(member.file_size for member in members)
    if (
        unzipped > settings.MAX_IMPORT_UNZIPPED_SIZE
        or unzipped > len(data) * settings.MAX_IMPORT_RATIO + 1024 * 1024
    ):
        raise ImportRefused(
            _("This workbook expands to %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(unzipped),
                "limit": filesizeformat(settings.MAX_IMPORT_UNZIPPED_SIZE),
            }
        )
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportRefused(_("This file is not an Excel workbook (.xlsx).")) from None
    try:
        rows = book.active.iter_rows(values_only=True)
        header = next(rows, None)
        count = filled = 0
        # Blank rows count too: the reader that follows would walk through them as well.
        for row in rows:
            count += 1
            filled += any(value not in (None, "") for value in row)
            if count > limit:
                break
    except Exception:
        raise ImportRefused(_("This file is not an Excel workbook (.xlsx).")) from None
    finally:
        book.close()
    return list(header or []), count, filled


def _csv_rows(data: bytes, limit: int) -> tuple[list, int, int]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _(
                "This CSV file is not in UTF-8. In Excel choose File › Save As and the type "
                "“CSV UTF-8 (Comma delimited)”, then upload it again."
            )
        ) from None
    try:
        rows = csv.reader(io.StringIO(text))
        header = next(rows, None)
        count = filled = 0
        for row in rows:
            count += 1
            filled += any(value.strip() for value in row)
            if count > limit:
                break
    except csv.Error:
        raise ImportRefused(_("This file is not a readable CSV file.")) from None
    return list(header or []), count, filled


def check_upload(upload, input_format, resource) -> None:
    """Raise ImportRefused with a message for the user if the upload must not be parsed."""
    if upload.size > settings.MAX_IMPORT_SIZE:
        raise ImportRefused(
            _("This file is %(size)s; the limit for an import is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_IMPORT_SIZE),
            }
        )
    if upload.size == 0:
        raise ImportRefused(_("This file is empty."))
    data = _read(upload)
    limit = settings.MAX_IMPORT_ROWS
    if issubclass(input_format, base_formats.XLSX):
        header, count, filled = _xlsx_rows(data, limit)
    elif issubclass(input_format, base_formats.CSV):
        header, count, filled = _csv_rows(data, limit)
    else:
        raise ImportRefused(_("Import a workbook (.xlsx) or a CSV file."))
    header = [str(name).strip() for name in header if name not in (None, "")]
    if not header:
        raise ImportRefused(_("This file is empty."))
    if count > limit:
        raise ImportRefused(
            _("This file has more than %(limit)s rows; split it into smaller files.")
            % {"limit": limit}
        )
    expected = [field.column_name for field in resource.get_user_visible_fields()]
    required = [
        resource.fields[name].column_name if name in resource.fields else str(name)
        for name in resource._meta.import_id_fields
    ]
    unknown = [name for name in header if name not in expected]
    missing = [name for name in required if name not in header]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        raise ImportRefused(
            _("The header row does not match (%(problems)s). The columns are: %(expected)s.")
            % {"problems": "; ".join(parts), "expected": ", ".join(expected)}
        )
    if filled == 0:
        raise ImportRefused(_("This file has a header row but no rows to import."))


class SafeImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self._formats = list(formats)
        self._resources = list(resources)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        fmt = cleaned.get("format")
        if upload is None or fmt in (None, ""):
            return cleaned
        resource_class = self._resources[int(cleaned.get("resource") or 0)]
        try:
            check_upload(upload, self._formats[int(fmt)], resource_class())
        except ImportRefused as refusal:
            self.add_error("import_file", str(refusal))
        return cleaned


class ImportFolderStorage(TempFolderStorage):
    """Dry-run uploads in a folder of their own, swept of files older than IMPORT_TMP_MAX_AGE.

    The file is removed once the import is confirmed (or when the dry run found errors and no
    confirmation is offered); an abandoned one goes at the next upload after the timeout.
    """

    @staticmethod
    def folder() -> Path:
        folder = Path(settings.IMPORT_TMP_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @classmethod
    def sweep(cls) -> int:
        limit = time.time() - settings.IMPORT_TMP_MAX_AGE
        removed = 0
        for path in cls.folder().glob("import-*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def get_full_path(self):
        return str(self.folder() / os.path.basename(self.name))

    def save(self, data):
        self.sweep()
        if not self.name:
            self.name = f"import-{uuid.uuid4().hex}"
        with open(self.get_full_path(), "wb") as file:
            file.write(data)

    def exists(self) -> bool:
        return bool(self.name) and os.path.exists(self.get_full_path())

    def remove(self):
        Path(self.get_full_path()).unlink(missing_ok=True)


class LabelledExportForm(SelectableFieldsExportForm):
    """The export page names each column by its field's label in the user's language, with
    the column's name in the file after it (`Mã (code)`), instead of `Code`, `Name En`."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        column = field.column_name if field else field_name
        label = None
        attribute = field.attribute if field else field_name
        if attribute and "__" not in attribute:
            try:
                label = resource._meta.model._meta.get_field(attribute).verbose_name
            except Exception:
                label = None
        if label is None:
            return capfirst(column) if column != field_name else capfirst(field_name)
        return f"{capfirst(label)} ({column})"


class SafeImportMixin(ImportMixin):
    """Limits, clear messages and a bounded error page for every admin import."""

    import_form_class = SafeImportForm
    export_form_class = LabelledExportForm
    formats = SAFE_FORMATS
    tmp_storage_class = ImportFolderStorage

    def get_import_context_data(self, **kwargs):
        # What each constrained column accepts (dates, kinds, codes), listed on the import page.
        context = super().get_import_context_data(**kwargs)
        hints = []
        for resource_class in self.get_import_resource_classes(None):
            if hasattr(resource_class, "import_hints"):
                hints.extend(resource_class.import_hints())
        context["import_hints"] = hints
        return context

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            _("This file could not be read. Check that the chosen format matches the file."),
        )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if result is not None:
            _hide_tracebacks(result)
            _bound_row_errors(request, result)
        form = context.get("form")
        stored = getattr(
            getattr(form, "cleaned_data", {}).get("import_file"), "tmp_storage_name", None
        )
        if stored and not context.get("confirm_form"):
            # Nothing can be confirmed: the stored copy of the upload is not needed.
            ImportFolderStorage(name=stored).remove()
        return response

    def process_import(self, request, **kwargs):
        name = os.path.basename(request.POST.get("import_file_name", ""))
        storage = ImportFolderStorage(name=name)
        if request.method == "POST" and name and not storage.exists():
            messages.error(request, _("This upload has expired; upload the file again."))
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        try:
            return super().process_import(request, **kwargs)
        except Exception:
            # The upload passed its checks at the dry run; a failure now is ours, not the
            # user's: log it, say so in a sentence, and keep nothing (the import is atomic).
            logger.exception("Confirmed import failed")
            messages.error(request, _("The import could not be completed; nothing was written."))
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        finally:
            if name:
                storage.remove()


def _hide_tracebacks(result) -> None:
    """An error outside the rows is logged, and shown as a sentence without a traceback."""
    for error in result.base_errors:
        logger.error("Import failed: %s\n%s", error.error, error.traceback)
        error.error = _("The import could not be completed; nothing was written.")
        error.traceback = ""
    for row in result.rows:
        for error in row.errors:
            logger.error("Import row %s failed: %s\n%s", row.number, error.error, error.traceback)
            error.traceback = ""
            error.error = _("This row could not be imported: %(reason)s") % {
                "reason": _error_text(error.error)
            }


def _error_text(error) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else _("unknown error")


def _bound_row_errors(request, result) -> None:
    """Keep the first MAX_SHOWN_ROW_ERRORS rows with errors and say how many there are."""
    invalid = result.invalid_rows
    failed = [row for row in result.rows if row.errors]
    total = len(invalid) + len(failed)
    if total <= MAX_SHOWN_ROW_ERRORS:
        return
    result.invalid_rows = invalid[:MAX_SHOWN_ROW_ERRORS]
    room = max(MAX_SHOWN_ROW_ERRORS - len(result.invalid_rows), 0)
    kept = set(map(id, failed[:room]))
    result.rows = [row for row in result.rows if not row.errors or id(row) in kept]
    messages.warning(
        request,
        ngettext(
            "%(total)d row has errors; the first %(shown)d are shown.",
            "%(total)d rows have errors; the first %(shown)d are shown.",
            total,
        )
        % {"total": total, "shown": MAX_SHOWN_ROW_ERRORS},
    )
