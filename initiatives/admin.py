"""The secretariat's review desk.

Status changes go through `initiatives.workflow` only: the list actions, the review step
(`admin_review.py`, on the application's page) and nothing else. What the applicants wrote
is read-only here, in the sections declared in `sections.py`; the CSV is `exports.py`.
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import sections, workflow
from .admin_review import ReviewStepMixin
from .exports import export_applications_csv, local_time
from .exports import person as _person
from .models import (
    ApplicationRound,
    ApplicationTransition,
    Initiative,
    SupportApplication,
    SupportForm,
)

Status = SupportApplication.Status
OVERDUE_AFTER_DAYS = 14


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(s.value, s.label) for s in Status if s != Status.DRAFT]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # Only known statuses reach the query (PostgreSQL refuses a NUL byte in one).
        if self.value() not in Status.values:
            return queryset.none()
        return queryset.filter(status=self.value())


class SupportFormFilter(admin.SimpleListFilter):
    title = "form for støtte"
    parameter_name = "stoetteform"

    def lookups(self, request, model_admin):
        return SupportForm.choices

    def queryset(self, request, queryset):
        if self.value() in SupportForm.values:
            return queryset.filter(**{SupportForm(self.value()).field_name: True})
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = "ventetid"
    parameter_name = "venter"

    def lookups(self, request, model_admin):
        return [("overskredet", f"Venter på svar i mere end {OVERDUE_AFTER_DAYS} dage")]

    def queryset(self, request, queryset):
        if self.value() == "overskredet":
            limit = timezone.now() - timezone.timedelta(days=OVERDUE_AFTER_DAYS)
            return queryset.filter(
                status__in=[Status.SUBMITTED, Status.IN_REVIEW], submitted_at__lt=limit
            )
        return queryset


class DanishHistoryHelper(HistoricalRecordContextHelper):
    """Shows history values as people read them: status labels, local times, Ja/Nej."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value in (None, ""):
            return "–"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "Ja" if value else "Nej"
        if isinstance(value, datetime.datetime):
            return f"{timezone.localtime(value):%d-%m-%Y %H:%M}"
        return super().prepare_delta_change_value(change, value)


class TransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    fields = [
        "at",
        "from_status",
        "to_status",
        "actor_name",
        "message",
        "email_sent_at",
        "email_error",
    ]
    readonly_fields = fields
    verbose_name_plural = "Statusskift (hvem og hvornår)"

    @admin.display(description="udført af")
    def actor_name(self, transition):
        # Text, not a link: the Sekretariat may not open user pages.
        actor = transition.actor
        return (actor.get_full_name() or actor.email) if actor else "–"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# Where the admin shows something else than the model field: plain text instead of the
# admin's links (the Sekretariat may not open region or user pages), the attachment as a
# download link. And what the desk shows besides what the applicants filled in.
ADMIN_SHOWS = {"region": "region_name", "attachment": "attachment_link"}
ADMIN_ADDS = {"senders": ["applicant_account"]}


def _shown(row):
    if isinstance(row, tuple):
        return tuple(ADMIN_SHOWS.get(name, name) for name in row)
    return ADMIN_SHOWS.get(row, row)


APPLICANT_FIELDSETS = [
    (
        section.title,
        {"fields": [*(_shown(row) for row in section.rows), *ADMIN_ADDS.get(section.key, [])]},
    )
    for section in sections.SECTIONS
]
APPLICANT_FIELDS = [
    name
    for _, options in APPLICANT_FIELDSETS
    for entry in options["fields"]
    for name in (entry if isinstance(entry, tuple) else (entry,))
]


@admin.register(SupportApplication)
class SupportApplicationAdmin(ReviewStepMixin, SimpleHistoryAdmin):
    # Eight columns that fit 1280 px beside the filters; the round is a filter, the
    # submission time is the age.
    list_display = [
        "reference",
        "initiative_title",
        "workplace",
        "region_name",
        "support_forms_display",
        "status_badge",
        "days_since_submitted",
        "consultant",
    ]
    list_display_links = ["reference", "initiative_title"]
    list_filter = [
        StatusFilter,
        SupportFormFilter,
        "region",
        "round",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        WaitingFilter,
    ]
    search_fields = [
        "initiative_title",
        "institution",
        "department",
        "leader_name",
        "leader_email",
        "employee_rep_name",
        "employee_rep_email",
        "applicant__email",
    ]
    list_select_related = ["round", "region", "assigned_to"]
    ordering = ["-submitted_at", "-pk"]
    view_on_site = False  # the public page is the applicant's own, a 404 for anyone else
    actions = ["mark_in_review", "assign_to_me", "export_csv"]
    inlines = [TransitionInline]
    fieldsets = [
        (
            "Sagsbehandling (kun for sekretariatet)",
            {
                "fields": [
                    ("status", "submitted_at", "decided_at"),
                    "round",
                    "assigned_to",
                    "internal_notes",
                    "initiative",
                ]
            },
        ),
        *APPLICANT_FIELDSETS,
    ]
    readonly_fields = ["status", "submitted_at", "decided_at", "round", *APPLICANT_FIELDS]
    change_form_template = "admin/initiatives/supportapplication/change_form.html"
    object_history_list_template = "admin/initiatives/supportapplication/object_history_list.html"
    object_history_form_template = "admin/initiatives/supportapplication/object_history_form.html"

    def get_queryset(self, request):
        # Drafts are the applicants' unfinished work, not yet sent to the secretariat.
        return super().get_queryset(request).exclude(status=Status.DRAFT)

    def has_add_permission(self, request):
        return False  # applications come from applicants

    def has_delete_permission(self, request, obj=None):
        # Deleting a decided application would undo the decision as well. Nobody deletes
        # here, superusers included: personal data goes by the personal-data and retention
        # commands, which keep decided applications as anonymous records.
        return False

    def get_visible_object(self, request, object_id):
        """The application behind a URL's id as this desk may show it, else a 404.

        Drafts and ids that are not numbers are a 404 (not a 500), on every custom URL.
        """
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404("Ansøgningen findes ikke.")
        return application

    def has_review_permission(self, request):
        return workflow.can_review(request.user)

    def get_historical_record_context_helper(self, request, historical_record):
        return DanishHistoryHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return f"Historik for {obj}"

    def history_form_view_title(self, request, obj):
        return f"Tidligere version af {obj}"

    def revert_disabled(self, request, obj=None):
        return True  # a revert could change the status behind the workflow's back

    def history_view(self, request, object_id, extra_context=None):
        self.get_visible_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version, to read only: a POST here would save it over the application."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        application = self.get_visible_object(request, object_id)
        if not version_id.isascii() or not version_id.isdigit():
            raise Http404("Versionen findes ikke.")
        return super().history_form_view(request, str(application.pk), version_id, extra_context)

    # Columns

    @admin.display(description="sagsnr.", ordering="pk")
    def reference(self, obj):
        return obj.reference

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="status-badge status-badge--{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    @admin.display(description="arbejdsplads", ordering="institution")
    def workplace(self, obj):
        return format_html(
            '{}<span class="workplace__department">{}</span>', obj.institution, obj.department
        )

    @admin.display(description="støtte")
    def support_forms_display(self, obj):
        return obj.support_forms_display

    @admin.display(description="konsulent", ordering="assigned_to__first_name")
    def consultant(self, obj):
        return _person(obj.assigned_to) or "–"

    @admin.display(description="alder (dage)", ordering="submitted_at")
    def days_since_submitted(self, obj):
        if obj.submitted_at is None:
            return "–"
        days = (timezone.now() - obj.submitted_at).days
        if obj.awaits_secretariat and days > OVERDUE_AFTER_DAYS:
            return format_html(
                '<strong class="overdue" title="{}">⚠ {}</strong>',
                f"Har ventet på svar i mere end {OVERDUE_AFTER_DAYS} dage",
                days,
            )
        return days

    # Plain text, not the admin's links: the Sekretariat may not open user or region pages.

    @admin.display(description="region", ordering="region__name")
    def region_name(self, obj):
        return obj.region.name if obj.region else "–"

    @admin.display(description="ansøgerens konto")
    def applicant_account(self, obj):
        if obj.applicant is None:
            if obj.anonymised_at:
                return f"Kontoen er slettet; anonymiseret {local_time(obj.anonymised_at)}"
            return "Kontoen er slettet"
        return obj.applicant.email

    @admin.display(description="bilag")
    def attachment_link(self, obj):
        if not obj.attachment:
            return "Intet bilag"
        url = reverse("initiatives:application_attachment", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.attachment_name or "Hent bilag")

    # List actions

    @admin.action(description="Markér som under vurdering", permissions=["review"])
    def mark_in_review(self, request, queryset):
        moved, refused = 0, []
        for application in queryset.select_related("round"):
            try:
                workflow.start_review(application, request.user)
                moved += 1
            except workflow.InvalidTransition:
                refused.append(application.reference)
        if moved:
            self.message_user(request, f"{moved} ansøgning(er) er nu under vurdering.")
        if refused:
            self.message_user(
                request,
                "Kun indsendte ansøgninger kan markeres som under vurdering. Ikke ændret: "
                + ", ".join(refused),
                messages.WARNING,
            )

    @admin.action(description="Tildel til mig", permissions=["review"])
    def assign_to_me(self, request, queryset):
        count = 0
        for application in queryset:
            workflow.assign(application, request.user, request.user)
            count += 1
        self.message_user(request, f"{count} ansøgning(er) er tildelt dig.")

    @admin.action(description="Eksportér de valgte til CSV (Excel)", permissions=["view"])
    def export_csv(self, request, queryset):
        return export_applications_csv(queryset)

    def save_model(self, request, obj, form, change):
        """Write only the desk's own fields (notes, assignment, public initiative).

        The copy in the form may be older than a status change a colleague made
        meanwhile; writing just these fields never undoes it.
        """
        obj._history_user = request.user
        own = [field.name for field in obj._meta.concrete_fields if field.name in form.fields]
        obj.save(update_fields=[*own, "updated_at"])


@admin.register(ApplicationRound)
class ApplicationRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "opens", "closes", "is_open_display"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    @admin.display(description="åben nu", boolean=True)
    def is_open_display(self, obj):
        return obj.is_open()


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "institution", "region", "phase", "is_published"]
    list_filter = ["is_published", "phase", "region", "themes"]
    search_fields = ["title", "institution", "department", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["professional_groups"]
    list_select_related = ["region"]
