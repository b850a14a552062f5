"""Uploaded Office files are checked deeper than their directory where it is cheap, and file
names lose the characters that disguise them."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from config.uploads import check_upload


def _docx(document_size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * document_size)
    return buffer.getvalue()


def test_a_docx_whose_document_expands_past_the_limit_is_refused(settings):
    settings.MAX_EXPANDED_SIZE = 1024 * 1024
    assert check_upload(SimpleUploadedFile("ok.docx", _docx(1000))).name == "ok.docx"
    bomb = _docx(2 * 1024 * 1024)
    assert len(bomb) < 20_000
    with pytest.raises(ValidationError) as raised:
        check_upload(SimpleUploadedFile("bom.docx", bomb))
    assert raised.value.code == "expands"


def test_bidirectional_and_control_characters_are_stripped_from_file_names():
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    name = "anh\u202egpj.exe\u2066\x07.png"
    assert check_upload(SimpleUploadedFile(name, png)).name == "anhgpj.exe.png"
