"""The secretariat's workshops: the invitation and the record, udviklingsrum courses, and
the registrations (the list, a CSV for Excel, who attended, closing registration).

Seats change only through `workshops.registration`: the registration status is read-only
here, cancelling is an action that moves the waiting list up, and more seats on a workshop
fill them from the waiting list.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import Count, Q
from django.utils import timezone

from portal.admin_tools import excel_csv_response
from portal.models import Theme

from . import registration as seats
from .models import DevelopmentRoom, Registration, Workshop, WorkshopPoint

Status = Registration.Status


def _local(moment):
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}" if moment else ""


def _yes_no(value):
    return {True: "ja", False: "nej"}.get(value, "")


CSV_COLUMNS = [
    ("Workshop", lambda r: r.workshop.title),
    ("Dato", lambda r: f"{timezone.localtime(r.workshop.starts_at):%d-%m-%Y}"),
    ("Navn", lambda r: r.name),
    ("E-mail", lambda r: r.email),
    ("Arbejdsplads", lambda r: r.workplace),
    ("Region", lambda r: r.region.name if r.region else ""),
    ("Faggruppe", lambda r: r.professional_group.name if r.professional_group else ""),
    ("Hensyn til kost", lambda r: r.dietary_needs),
    ("Må stå på deltagerlisten", lambda r: _yes_no(r.consents_to_participant_list)),
    ("Status", lambda r: r.get_status_display()),
    ("Tilmeldt", lambda r: _local(r.created_at)),
    ("Fik plads", lambda r: _local(r.confirmed_at)),
    ("Afmeldt", lambda r: _local(r.cancelled_at)),
    ("Deltog", lambda r: _yes_no(r.attended)),
]


def export_registrations_csv(queryset):
    rows = queryset.select_related("workshop", "region", "professional_group").order_by(
        "workshop__starts_at", "workshop__pk", "created_at", "pk"
    )
    return excel_csv_response(
        f"deltagere-{timezone.localdate():%Y-%m-%d}.csv",
        [title for title, _ in CSV_COLUMNS],
        ([value(registration) for _, value in CSV_COLUMNS] for registration in rows),
    )


SHARED_COLUMNS = [
    ("Navn", lambda r: r.name),
    ("Arbejdsplads", lambda r: r.workplace),
    ("Region", lambda r: r.region.name if r.region else ""),
    ("Faggruppe", lambda r: r.professional_group.name if r.professional_group else ""),
]


def export_shared_list_csv(workshop_queryset):
    """The list to share with the participants: only those with a seat who said yes to
    it, and only name, workplace, region and professional group (no addresses)."""
    shared = (
        Registration.objects.filter(
            workshop__in=workshop_queryset,
            status=Status.CONFIRMED,
            consents_to_participant_list=True,
        )
        .select_related("workshop", "region", "professional_group")
        .order_by("workshop__starts_at", "workshop__pk", "name", "pk")
    )
    return excel_csv_response(
        f"deltagerliste-til-deltagerne-{timezone.localdate():%Y-%m-%d}.csv",
        ["Workshop", *(title for title, _ in SHARED_COLUMNS)],
        (
            [registration.workshop.title, *(value(registration) for _, value in SHARED_COLUMNS)]
            for registration in shared
        ),
    )


def _site_url(request):
    return request.build_absolute_uri("/")


# -- Workshops ------------------------------------------------------------------------------


WORKSHOP_FIELDSETS = [
    (None, {"fields": ["title", "slug", "kind", "summary", "development_room"]}),
    (
        "Invitationen",
        {
            "fields": [
                "starts_at",
                "ends_at",
                "venue",
                "online_url",
                "organiser",
                "audience",
                "purpose",
                "programme",
            ]
        },
    ),
    ("Tilmelding", {"fields": ["capacity", "registration_open"]}),
    (
        "Efter workshoppen",
        {"fields": ["method_notes", "participant_count", "regions", "professional_groups"]},
    ),
    ("Emner og sammenhæng", {"fields": ["themes", "related_cases", "related_initiatives"]}),
    (
        "Offentliggørelse",
        {
            "fields": [
                "source",
                "is_example",
                "is_published",
                "sequence",
                "created_at",
                "updated_at",
            ]
        },
    ),
]


class WorkshopAdminForm(forms.ModelForm):
    """Themes from the taxonomy (no new ones by typing); no fewer seats than are given."""

    themes = forms.ModelMultipleChoiceField(
        label="Temaer",
        queryset=Theme.objects.select_related("group"),
        widget=FilteredSelectMultiple("temaer", is_stacked=False),
        required=False,
        help_text="Vælg et eller flere temaer fra portalens temaliste.",
    )
    online_url = forms.URLField(
        label="Link til online-deltagelse", required=False, assume_scheme="https"
    )

    class Meta:
        model = Workshop
        fields = [
            name
            for _title, options in WORKSHOP_FIELDSETS
            for name in options["fields"]
            if name not in ("sequence", "created_at", "updated_at")
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["themes"] = list(self.instance.themes.all())

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if self.instance.pk and capacity is not None:
            confirmed = self.instance.registrations.filter(status=Status.CONFIRMED).count()
            if capacity < confirmed:
                raise forms.ValidationError(
                    f"{confirmed} har allerede fået en plads. Sæt ikke færre pladser end "
                    "det; afmeld i stedet tilmeldinger under Tilmeldinger."
                )
        return capacity


class WorkshopPointInline(admin.TabularInline):
    model = WorkshopPoint
    fields = ["kind", "group", "text", "position"]
    extra = 0


class RegistrationInline(admin.TabularInline):
    """The workshop's registrations; who attended can be marked here."""

    model = Registration
    fields = ["name", "email", "workplace", "status", "created_at", "attended"]
    readonly_fields = ["name", "email", "workplace", "status", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Tilmeldinger (bekræftede, venteliste og afmeldte)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("created_at", "pk")


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    form = WorkshopAdminForm
    list_display = [
        "title",
        "kind",
        "starts_at",
        "capacity",
        "confirmed_count",
        "waitlisted_count",
        "registration_open",
        "is_published",
    ]
    list_filter = ["kind", "registration_open", "is_published", "is_example"]
    search_fields = ["title", "summary", "organiser", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    filter_horizontal = ["regions", "professional_groups", "related_cases", "related_initiatives"]
    readonly_fields = ["sequence", "created_at", "updated_at"]
    inlines = [WorkshopPointInline, RegistrationInline]
    actions = [
        "close_registration",
        "open_registration",
        "export_participants_csv",
        "export_shared_list_csv",
    ]
    fieldsets = WORKSHOP_FIELDSETS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
                waitlisted=Count(
                    "registrations", filter=Q(registrations__status=Status.WAITLISTED)
                ),
            )
        )

    @admin.display(description="bekræftede", ordering="confirmed")
    def confirmed_count(self, workshop):
        return workshop.confirmed

    @admin.display(description="venteliste", ordering="waitlisted")
    def waitlisted_count(self, workshop):
        return workshop.waitlisted

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        moved = seats.promote_waitlisted(form.instance, _site_url(request))
        if moved:
            self.message_user(
                request,
                f"{len(moved)} fra ventelisten har fået en plads og får besked på e-mail.",
                messages.SUCCESS,
            )

    @admin.action(description="Luk tilmeldingen til de valgte workshops")
    def close_registration(self, request, queryset):
        count = queryset.filter(registration_open=True).update(registration_open=False)
        self.message_user(request, f"Tilmeldingen er lukket for {count} workshop(s).")

    @admin.action(description="Åbn tilmeldingen til de valgte workshops")
    def open_registration(self, request, queryset):
        without_seats = queryset.filter(Q(capacity__isnull=True) | Q(capacity=0))
        if without_seats.exists():
            names = ", ".join(w.title for w in without_seats[:5])
            self.message_user(
                request,
                f"Skriv antallet af pladser, før tilmeldingen åbnes: {names}.",
                messages.ERROR,
            )
            return
        count = queryset.filter(registration_open=False).update(registration_open=True)
        self.message_user(request, f"Tilmeldingen er åbnet for {count} workshop(s).")

    @admin.action(description="Hent deltagerlisten (CSV til Excel)")
    def export_participants_csv(self, request, queryset):
        return export_registrations_csv(Registration.objects.filter(workshop__in=queryset))

    @admin.action(description="Hent listen, der må deles med deltagerne (kun dem, der sagde ja)")
    def export_shared_list_csv(self, request, queryset):
        return export_shared_list_csv(queryset)


# -- Udviklingsrum --------------------------------------------------------------------------


class DevelopmentRoomAdminForm(forms.ModelForm):
    class Meta:
        model = DevelopmentRoom
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "phase",
            "initiatives",
            "source",
            "is_example",
            "is_published",
        ]

    def clean(self):
        cleaned = super().clean()
        initiatives = cleaned.get("initiatives")
        if initiatives is None:
            return cleaned
        count = len(initiatives)
        low, high = DevelopmentRoom.MIN_INITIATIVES, DevelopmentRoom.MAX_INITIATIVES
        forming = cleaned.get("phase") == DevelopmentRoom.Phase.FORMING
        if count > high or (count < low and not forming):
            raise forms.ValidationError(
                {
                    "initiatives": (
                        f"Et udviklingsrum har {low}–{high} deltagende afdelinger "
                        f"(initiativer); du har valgt {count}. Færre end {low} går kun, "
                        "mens rummet sammensættes."
                    )
                }
            )
        return cleaned


class MeetingInline(admin.TabularInline):
    model = Workshop
    fk_name = "development_room"
    fields = ["title", "starts_at", "kind"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Møder i udviklingsrummet (oprettes som workshops)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DevelopmentRoom)
class DevelopmentRoomAdmin(admin.ModelAdmin):
    form = DevelopmentRoomAdminForm
    list_display = ["title", "phase", "member_count", "is_example", "is_published"]
    list_filter = ["phase", "is_published", "is_example"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["initiatives"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MeetingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("initiatives"))

    @admin.display(description="afdelinger", ordering="members")
    def member_count(self, room):
        return room.members


# -- Registrations --------------------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # Only known statuses reach the query (PostgreSQL refuses a NUL byte in one).
        if self.value() not in Status.values:
            return queryset.none()
        return queryset.filter(status=self.value())


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "workplace", "workshop", "status", "created_at", "attended"]
    list_filter = [StatusFilter, "attended", "consents_to_participant_list", "workshop"]
    list_select_related = ["workshop"]
    search_fields = ["name", "email", "workplace", "workshop__title"]
    fields = [
        "workshop",
        "name",
        "email",
        "workplace",
        "region",
        "professional_group",
        "dietary_needs",
        "consents_to_participant_list",
        "status",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "attended",
    ]
    readonly_fields = ["workshop", "status", "created_at", "confirmed_at", "cancelled_at"]
    actions = [
        "export_csv",
        "mark_attended",
        "mark_not_attended",
        "cancel_registrations",
    ]

    def has_add_permission(self, request):
        # Seats are handed out by the registration form, first come first served.
        return False

    @admin.action(description="Hent de valgte som CSV til Excel")
    def export_csv(self, request, queryset):
        return export_registrations_csv(queryset)

    @admin.action(description="Markér de valgte som deltaget")
    def mark_attended(self, request, queryset):
        count = queryset.exclude(status=Status.CANCELLED).update(attended=True)
        self.message_user(request, f"{count} markeret som deltaget.")

    @admin.action(description="Markér de valgte som ikke deltaget")
    def mark_not_attended(self, request, queryset):
        count = queryset.update(attended=False)
        self.message_user(request, f"{count} markeret som ikke deltaget.")

    @admin.action(description="Afmeld de valgte (ventelisten rykker op)")
    def cancel_registrations(self, request, queryset):
        cancelled, moved, refused = 0, 0, []
        for registration in queryset.select_related("workshop"):
            try:
                moved += len(seats.cancel(registration, _site_url(request)))
            except seats.RegistrationError as error:
                refused.append(f"{registration.name}: {error}")
            else:
                cancelled += 1
        self.message_user(
            request,
            f"{cancelled} afmeldt; {moved} fra ventelisten har fået en plads.",
            messages.SUCCESS,
        )
        if refused:
            self.message_user(request, " ".join(refused), messages.WARNING)
