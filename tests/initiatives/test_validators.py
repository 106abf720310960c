"""Phone numbers and attachment types, judged on their own."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.validators import detect_document_type, normalize_phone, validate_attachment

from .conftest import PDF_BYTES


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12345678", "12 34 56 78"),
        ("12 34 56 78", "12 34 56 78"),
        ("+45 12 34 56 78", "12 34 56 78"),
        ("0045 12345678", "12 34 56 78"),
        ("1234-5678", "12 34 56 78"),
        ("+46 70 123 45 67", "+46701234567"),
        ("", ""),
    ],
)
def test_phone_numbers_are_accepted_and_tidied(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["1234567", "123456789", "+45 1234 567", "telefon 12345678", "+1 23", "12345678x"]
)
def test_invalid_phone_numbers_are_refused_in_danish(typed):
    with pytest.raises(ValidationError) as raised:
        normalize_phone(typed)
    assert "Skriv et gyldigt telefonnummer" in raised.value.messages[0]


def test_a_zip_that_is_not_a_word_document_is_not_docx():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")  # an Excel file
    assert detect_document_type(SimpleUploadedFile("regneark.docx", buffer.getvalue())) is None


def test_a_broken_zip_is_refused_without_crashing():
    broken = SimpleUploadedFile("ødelagt.docx", b"PK\x03\x04" + b"\0" * 50)
    with pytest.raises(ValidationError):
        validate_attachment(broken)


def test_detection_leaves_the_file_ready_to_be_saved():
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    assert validate_attachment(upload) == "pdf"
    assert upload.read() == PDF_BYTES
