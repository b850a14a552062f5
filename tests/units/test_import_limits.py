"""Admin imports are measured before they are parsed and fail with a message, never a crash."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from units.models import Unit

URL = "/admin/units/unit/import/"
HEADERS = ["code", "name", "kind", "parent"]


def _xlsx(headers, rows, extra: dict | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    if extra:
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, content in extra.items():
                archive.writestr(name, content)
    return buffer.getvalue()


def _post(client, content: bytes, extension: str):
    form = client.get(URL).context["form"]
    index = next(v for v, label in form.fields["format"].choices if label.lower() == extension)
    upload = io.BytesIO(content)
    upload.name = f"units.{extension}"
    return client.post(URL, {"resource": "0", "format": index, "import_file": upload})


def _refusal(response) -> str:
    assert response.status_code == 200
    assert "result" not in response.context or response.context["result"] is None
    errors = response.context["form"].errors.get("import_file")
    assert errors, "the upload was not refused"
    text = " ".join(errors)
    assert "Error" not in text and "Traceback" not in text
    return text


@pytest.fixture
def admin_client(client, cast, ministry):
    client.force_login(cast["admin"])
    return client


@pytest.mark.django_db
def test_an_upload_over_max_import_size_is_refused(admin_client, settings):
    settings.MAX_IMPORT_SIZE = 2048
    content = ("code,name,kind,parent\n" + "vu-x,Vụ X,department,bct\n" * 200).encode()
    text = _refusal(_post(admin_client, content, "csv"))
    assert "2,0" in text or "2.0" in text  # the limit is named


@pytest.mark.django_db
def test_a_workbook_that_expands_past_the_limit_is_refused_before_parsing(admin_client, settings):
    settings.MAX_IMPORT_UNZIPPED_SIZE = 1024 * 1024
    bomb = _xlsx(
        HEADERS, [["vu-x", "Vụ X", "department", "bct"]], {"xl/pad.bin": b"\0" * 3_000_000}
    )
    assert len(bomb) < 50_000
    _refusal(_post(admin_client, bomb, "xlsx"))


@pytest.mark.django_db
def test_a_workbook_with_more_rows_than_max_import_rows_is_refused(admin_client, settings):
    settings.MAX_IMPORT_ROWS = 5
    rows = [[f"vu-{i}", f"Vụ {i}", "department", "bct"] for i in range(6)]
    text = _refusal(_post(admin_client, _xlsx(HEADERS, rows), "xlsx"))
    assert "5" in text
    assert not Unit.objects.filter(code="vu-0").exists()


@pytest.mark.django_db
def test_a_csv_with_more_rows_than_max_import_rows_is_refused(admin_client, settings):
    settings.MAX_IMPORT_ROWS = 5
    content = ("code,name,kind,parent\n" + "vu-x,Vụ X,department,bct\n" * 6).encode()
    assert "5" in _refusal(_post(admin_client, content, "csv"))


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_gets_a_message_without_an_exception_name(admin_client):
    text = _refusal(_post(admin_client, b"this is not a zip", "xlsx"))
    assert "BadZipFile" not in text and "xlsx" in text


@pytest.mark.django_db
def test_an_empty_file_and_a_header_only_file_are_refused(admin_client):
    _refusal(_post(admin_client, b"", "csv"))
    _refusal(_post(admin_client, b"code,name,kind,parent\n", "csv"))
    _refusal(_post(admin_client, _xlsx(HEADERS, []), "xlsx"))


@pytest.mark.django_db
def test_wrong_and_missing_headers_are_named(admin_client):
    content = "ma,name,kind,parent\nvu-x,Vụ X,department,bct\n".encode()
    text = _refusal(_post(admin_client, content, "csv"))
    assert "ma" in text and "code" in text


@pytest.mark.django_db
def test_a_csv_not_in_utf8_gets_a_hint_to_save_as_csv_utf8(admin_client):
    content = "code,name,kind,parent\nvu-x,Vụ Đông,department,bct\n".replace("ụ", "u").encode(
        "cp1258"
    )
    assert "CSV UTF-8" in _refusal(_post(admin_client, content, "csv"))


@pytest.mark.django_db
def test_at_most_a_hundred_row_errors_are_shown_with_the_total(admin_client):
    rows = [[f"vu-{i}", f"Vụ {i}", "department", "khong-co"] for i in range(150)]
    response = _post(admin_client, _xlsx(HEADERS, rows), "xlsx")
    assert response.status_code == 200
    result = response.context["result"]
    assert len(result.invalid_rows) == 100
    page = response.content.decode()
    assert "150" in page
    assert "vu-99" in page and "vu-149" not in page


@pytest.fixture
def import_tmp(settings, tmp_path, monkeypatch):
    # The system temporary folder is redirected too, so a copy left anywhere is seen.
    import tempfile

    (tmp_path / "system-tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "system-tmp"))
    settings.IMPORT_TMP_DIR = tmp_path / "import-tmp"
    return tmp_path


def _left(folder) -> list:
    return sorted(path for path in folder.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_a_confirmed_import_leaves_no_upload_behind(admin_client, import_tmp):
    content = "code,name,kind,parent\nvu-csv,Vụ CSV,department,bct\n".encode()
    response = _post(admin_client, content, "csv")
    assert len(_left(import_tmp)) == 1
    confirm = response.context["confirm_form"]
    assert (
        admin_client.post("/admin/units/unit/process_import/", confirm.initial).status_code == 302
    )
    assert Unit.objects.filter(code="vu-csv").exists()
    assert _left(import_tmp) == []


@pytest.mark.django_db
def test_a_dry_run_with_errors_leaves_no_upload_behind(admin_client, import_tmp):
    content = "code,name,kind,parent\nvu-csv,Vụ CSV,department,khong-co\n".encode()
    response = _post(admin_client, content, "csv")
    assert response.context["result"].has_validation_errors()
    assert _left(import_tmp) == []


@pytest.mark.django_db
def test_an_abandoned_upload_is_swept_after_the_timeout(admin_client, import_tmp, settings):
    import os
    import time

    settings.IMPORT_TMP_MAX_AGE = 3600
    content = "code,name,kind,parent\nvu-csv,Vụ CSV,department,bct\n".encode()
    response = _post(admin_client, content, "csv")
    (abandoned,) = _left(import_tmp)
    old = time.time() - 7200
    os.utime(abandoned, (old, old))
    _post(admin_client, content, "csv")
    assert abandoned not in _left(import_tmp) and len(_left(import_tmp)) == 1
    # Confirming the swept upload says so instead of failing.
    confirm = response.context["confirm_form"]
    response = admin_client.post("/admin/units/unit/process_import/", confirm.initial, follow=True)
    assert response.status_code == 200
    assert not Unit.objects.filter(code="vu-csv").exists()


@pytest.mark.django_db
def test_blank_formatted_rows_count_towards_max_import_rows(admin_client, settings):
    from openpyxl.styles import Font

    settings.MAX_IMPORT_ROWS = 5
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["vu-x", "Vụ X", "department", "bct"])
    for row in range(3, 20):
        sheet.cell(row=row, column=1).font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    _refusal(_post(admin_client, buffer.getvalue(), "xlsx"))


@pytest.mark.django_db
def test_an_unexpected_failure_shows_a_sentence_not_a_traceback(admin_client, monkeypatch):
    from units.resources import UnitResource

    def explode(self, dataset, **kwargs):
        raise KeyError("secret internals")

    monkeypatch.setattr(UnitResource, "before_import", explode)
    content = "code,name,kind,parent\nvu-csv,Vụ CSV,department,bct\n".encode()
    response = _post(admin_client, content, "csv")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Traceback" not in page and "KeyError" not in page and "secret internals" not in page
    assert not Unit.objects.filter(code="vu-csv").exists()


@pytest.mark.django_db
def test_a_tampered_confirmation_gets_a_message_not_a_server_error(admin_client, import_tmp):
    content = "code,name,kind,parent\nvu-csv,Vụ CSV,department,bct\n".encode()
    confirm = dict(_post(admin_client, content, "csv").context["confirm_form"].initial)
    confirm["format"] = "0"  # the workbook format, for a CSV file
    response = admin_client.post("/admin/units/unit/process_import/", confirm, follow=True)
    assert response.status_code == 200
    assert not Unit.objects.filter(code="vu-csv").exists()
    assert _left(import_tmp) == []
