"""The applications as a spreadsheet for Danish Excel: the case, every field of the form (from
`sections.SECTIONS`), then how far the secretariat has come."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from portal.admin_tools import excel_csv_response

from . import sections
from .models import SupportApplication


def local_time(moment):
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}" if moment else ""


def person(user):
    return (user.get_full_name() or user.email) if user else ""


def field_cell(application, field):
    """A field's value as the secretariat reads it: labels, Ja/Nej, Danish dates, names."""
    value = getattr(application, field.name)
    if field.choices:
        return application._get_FIELD_display(field) if value else ""
    if isinstance(field, models.BooleanField):
        return "Ja" if value else "Nej"
    if isinstance(field, models.FileField):
        return (application.attachment_name or value.name) if value else ""
    if isinstance(value, datetime.datetime):
        return local_time(value)
    if isinstance(value, datetime.date):
        return f"{value:%d-%m-%Y}"
    return "" if value is None else str(value)


def read_out(application):
    """The application as its applicants read it back: [(section title, [(label, text,
    field name)])], every declared field in the form's order."""
    return [
        (
            section.title,
            [
                (capfirst(field.verbose_name), field_cell(application, field), field.name)
                for field in map(SupportApplication._meta.get_field, section.fields)
            ],
        )
        for section in sections.SECTIONS
    ]


def _form_columns():
    for name in sections.FIELDS:
        field = SupportApplication._meta.get_field(name)
        title = sections.COLUMN_TITLES.get(name) or capfirst(field.verbose_name)
        yield title, lambda a, field=field: field_cell(a, field)


CSV_COLUMNS = [
    ("Sagsnr.", lambda a: a.reference),
    ("Status", lambda a: a.get_status_display()),
    ("Ansøgningsrunde", lambda a: a.round.name),
    *_form_columns(),
    ("Først indsendt", lambda a: local_time(a.first_submitted_at)),
    ("Indsendt", lambda a: local_time(a.submitted_at)),
    ("Afgjort", lambda a: local_time(a.decided_at)),
    ("Tildelt", lambda a: person(a.assigned_to)),
]


def export_applications_csv(queryset):
    queryset = queryset.select_related("round", "region", "assigned_to")
    return excel_csv_response(
        f"ansoegninger-{timezone.localdate():%Y-%m-%d}.csv",
        [title for title, _ in CSV_COLUMNS],
        ([value(application) for _, value in CSV_COLUMNS] for application in queryset),
    )
