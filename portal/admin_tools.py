"""What every admin of the portal shares: safe list actions and spreadsheets for Danish Excel.

Imports nothing of the apps, so cases, initiatives and workshops can all build on it.
"""

import csv

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

# A database id: ASCII digits that fit a bigint.
MAX_ID_DIGITS = 18


def is_database_id(value):
    return value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS


class CheckedSelectionMixin:
    """A list action whose selected ids are no numbers gets a message, not a 500.

    Django's admin passes the posted ids straight to `pk__in`, and `int("²")` fails
    although `"²".isdigit()` holds. Every model in the portal has an integer key.
    """

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_database_id(value) for value in selected):
            self.message_user(request, "Markeringen kunne ikke læses. Prøv igen.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class PortalAdminSite(admin.AdminSite):
    """The admin site: every model admin registered here, the portal's own and those of
    Django and allauth alike, refuses unreadable selections (CheckedSelectionMixin)."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CheckedSelectionMixin):
            admin_class = type(admin_class.__name__, (CheckedSelectionMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


def spreadsheet_cell(value):
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Line:
    """A file for csv.writer whose write() hands the line back instead of storing it."""

    def write(self, line):
        return line


def excel_csv_lines(header, rows):
    """A CSV that Danish Excel opens correctly by double-click, a line at a time: UTF-8
    with a byte-order mark, semicolons, CRLF; every cell safe from formula injection."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow([spreadsheet_cell(title) for title in header])
    for row in rows:
        yield writer.writerow([spreadsheet_cell(cell) for cell in row])


def excel_csv_response(filename, header, rows):
    """`excel_csv_lines` as a download."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    for line in excel_csv_lines(header, rows):
        response.write(line)
    return response


def excel_csv_streaming_response(filename, header, rows):
    """`excel_csv_lines` as a download that is sent while `rows` are still being read."""
    response = StreamingHttpResponse(
        excel_csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
