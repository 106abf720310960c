"""The support application's sections, declared once.

What the applicants fill in, in the order of the form, grouped as the secretariat reads
it. The admin's fieldsets (`admin.py`), the CSV export (`exports.py`) and the applicant's
form (`forms.py`, its model fields) are all built from `SECTIONS`, so a field added here
appears on the desk, in the spreadsheet and in the form alike; `tests/initiatives/
test_review_desk.py` checks that the form asks for nothing that is not declared here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    # A row is one model field, or a tuple of fields shown side by side in the admin.
    rows: tuple

    @property
    def fields(self):
        return [name for row in self.rows for name in (row if isinstance(row, tuple) else (row,))]


SECTIONS = (
    Section(
        "initiative",
        "Initiativet",
        (
            "initiative_title",
            "initiative_description",
            "institution",
            "department",
            "region",
        ),
    ),
    Section(
        "senders",
        "Afsendere",
        (
            ("leader_name", "leader_title"),
            ("leader_email", "leader_phone"),
            ("employee_rep_name", "employee_rep_title"),
            ("employee_rep_email", "employee_rep_phone"),
            "contact_person",
        ),
    ),
    Section(
        "support",
        "Ønsket støtte",
        (
            ("wants_starthjaelp", "wants_udviklingsrum", "wants_evaluering"),
            "own_resources",
            "ready_to_start",
        ),
    ),
    Section(
        "criteria",
        "Kriterier bekræftet af ansøgerne",
        (
            "confirms_several_professions",
            "confirms_timing",
            "confirms_sharing",
            "confirms_local_backing",
        ),
    ),
    Section("attachment", "Bilag", ("attachment",)),
)

FIELDS = [name for section in SECTIONS for name in section.fields]

# Column titles in the CSV where the model's own label is too long for a spreadsheet.
COLUMN_TITLES = {
    "initiative_title": "Initiativ",
    "initiative_description": "Beskrivelse",
    "institution": "Sygehus/institution",
    "leader_name": "Leder",
    "employee_rep_name": "Medarbejderrepræsentant",
    "employee_rep_title": "Medarbejderrepr. stilling",
    "employee_rep_email": "Medarbejderrepr. e-mail",
    "employee_rep_phone": "Medarbejderrepr. telefon",
    "contact_person": "Kontaktperson",
    "own_resources": "Egne ressourcer",
    "ready_to_start": "Klar til start",
    "confirms_several_professions": "Flere faggrupper",
    "confirms_timing": "I gang inden for måneder",
    "confirms_sharing": "Deler læring",
    "confirms_local_backing": "Lokal opbakning",
    "attachment": "Bilag",
}

# The applicant's form asks for these three as one question (`support_forms` in forms.py);
# every other field is one of the form's model fields, in this order.
ASKED_TOGETHER = ("wants_starthjaelp", "wants_udviklingsrum", "wants_evaluering")
MODEL_FORM_FIELDS = [name for name in FIELDS if name not in ASKED_TOGETHER]
