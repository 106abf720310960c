"""Validation of what applicants send: phone numbers and attachments (by content)."""

import re
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024  # 10 MB

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

_PHONE_ALLOWED = re.compile(r"^\+?[\d\s\-().]+$")


def normalize_phone(value):
    """Validate a phone number and return it tidied: Danish numbers as "12 34 56 78".

    Accepts 8 Danish digits with or without +45/0045, or another country's number
    written with + and 8-15 digits.
    """
    value = (value or "").strip()
    if not value:
        return ""
    invalid = ValidationError(
        "Skriv et gyldigt telefonnummer, fx 12 34 56 78 eller +45 12 34 56 78.",
        code="invalid_phone",
    )
    if not _PHONE_ALLOWED.match(value):
        raise invalid
    digits = re.sub(r"\D", "", value)
    if value.startswith("+"):
        if digits.startswith("45") and len(digits) == 10:
            national = digits[2:]
        elif not digits.startswith("45") and 8 <= len(digits) <= 15:
            return "+" + digits
        else:
            raise invalid
    elif digits.startswith("0045") and len(digits) == 12:
        national = digits[4:]
    elif len(digits) == 8:
        national = digits
    else:
        raise invalid
    return " ".join(national[i : i + 2] for i in range(0, 8, 2))


def detect_document_type(uploaded):
    """'pdf', 'docx', 'doc' from the file's first bytes (and zip contents), else None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "doc"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                is_word = "word/document.xml" in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            is_word = False
        finally:
            uploaded.seek(0)
        return "docx" if is_word else None
    return None


def validate_attachment(uploaded):
    """Raise ValidationError unless `uploaded` is a PDF or Word file within the size limit.

    Returns the detected type. The file's name and the browser's content type are
    ignored: only the bytes count.
    """
    if uploaded.size == 0:
        raise ValidationError("Filen er tom.", code="empty")
    if uploaded.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            f"Filen er for stor ({filesizeformat(uploaded.size)}). Den må højst fylde 10 MB.",
            code="too_large",
        )
    kind = detect_document_type(uploaded)
    if kind is None:
        raise ValidationError(
            "Filen skal være en PDF eller et Word-dokument (.docx eller .doc).",
            code="wrong_type",
        )
    return kind
