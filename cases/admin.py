from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from portal.models import Theme

from . import contributions
from .models import Case, Contribution, ContributionEvent, ContributionState

# What a case says and where it belongs: the same for an editor's case and a contribution.
CASE_CONTENT_FIELDSETS = (
    (None, {"fields": ("title", "slug", "lead", "body")}),
    ("Erfaringer", {"fields": ("key_learnings", "dos", "donts")}),
    (
        "Sted og emne",
        {
            "fields": (
                "place",
                "region",
                "other_regions",
                "sector",
                "professional_groups",
                "themes",
            )
        },
    ),
)


class CaseAdminForm(forms.ModelForm):
    """Themes are chosen from the taxonomy; editors cannot invent new ones by typing."""

    themes = forms.ModelMultipleChoiceField(
        label="Temaer",
        queryset=Theme.objects.select_related("group"),
        widget=FilteredSelectMultiple("temaer", is_stacked=False),
        help_text="Vælg et eller flere temaer fra portalens temaliste.",
    )

    class Meta:
        model = Case
        fields = (
            "title",
            "slug",
            "lead",
            "body",
            "key_learnings",
            "dos",
            "donts",
            "place",
            "region",
            "other_regions",
            "sector",
            "professional_groups",
            "themes",
            "source_title",
            "source_publisher",
            "source_reference",
            "source_year",
            "source_document",
            "contact_name",
            "contact_email",
            "status",
            "published_at",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["themes"] = list(self.instance.themes.all())


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    form = CaseAdminForm
    list_display = ("title", "place", "region", "sector", "status", "published_at")
    list_filter = ("status", "region", "sector", "themes", "professional_groups")
    list_select_related = ("region", "sector")
    search_fields = ("title", "lead", "body", "place", "source_title", "source_reference")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("professional_groups",)
    date_hierarchy = "published_at"
    readonly_fields = ("created_at", "updated_at")
    list_per_page = 50
    fieldsets = (
        *CASE_CONTENT_FIELDSETS,
        (
            "Kilde",
            {
                "fields": (
                    "source_title",
                    "source_publisher",
                    "source_reference",
                    "source_year",
                    "source_document",
                )
            },
        ),
        ("Kontakt", {"fields": ("contact_name", "contact_email"), "classes": ("collapse",)}),
        ("Offentliggørelse", {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )
    actions = ("publish", "unpublish")

    @admin.action(description="Offentliggør de valgte cases")
    def publish(self, request, queryset):
        cases = list(queryset)
        for case in cases:
            contributions.publish(case, request.user)
        self.message_user(request, f"{len(cases)} case(s) er offentliggjort.")

    @admin.action(description="Gør de valgte cases til kladder")
    def unpublish(self, request, queryset):
        count = self._set_status(queryset, Case.Status.DRAFT)
        self.message_user(request, f"{count} case(s) er nu kladder.")

    @staticmethod
    def _set_status(queryset, status):
        """Save case by case, so publication dates and search vectors follow."""
        cases = list(queryset)
        for case in cases:
            case.status = status
            case.save()
        return len(cases)


class ContributionStateFilter(admin.SimpleListFilter):
    """The queue opens on what waits for the editors."""

    title = "tilstand"
    parameter_name = "tilstand"
    ALL = "alle"

    def lookups(self, request, model_admin):
        return [*ContributionState.choices, (self.ALL, "Alle")]

    def choices(self, changelist):
        value = self.value() or ContributionState.SENT
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or ContributionState.SENT
        if value == self.ALL:
            return queryset
        if value not in ContributionState.values:
            return queryset.none()
        return queryset.filter(contribution_state=value)


class ContributionEventInline(admin.TabularInline):
    """Who did what in the moderation; written by cases.contributions, never by hand."""

    model = ContributionEvent
    fields = ("at", "action", "actor_name", "message", "email_error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "forløb"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("cases.view_contribution")

    @admin.display(description="udført af")
    def actor_name(self, event):
        # Text, not a link: the Sekretariat may not open user pages.
        if event.actor_id is None:
            return "(slettet konto)"
        return event.actor.get_full_name() or event.actor.email


class ContributionForm(CaseAdminForm):
    class Meta(CaseAdminForm.Meta):
        model = Contribution
        fields = [
            name
            for name in CaseAdminForm.Meta.fields
            if name not in ("status", "published_at", "source_document")
        ] + ["credit_person"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    """The queue "Bidrag til moderation": the contributions, waiting ones first. Editors
    edit them here, publish them (list action or button) or send them back with a
    message (a button on the contribution's page)."""

    form = ContributionForm
    change_form_template = "admin/cases/contribution/change_form.html"
    list_display = ("title", "place", "contribution_state", "consent_at", "status")
    list_filter = (ContributionStateFilter,)
    list_select_related = ()
    search_fields = ("title", "lead", "place", "contact_name")
    ordering = ("-consent_at", "-pk")
    readonly_fields = (
        "contribution_state",
        "contributor_email",
        "consent_at",
        "moderation_message",
        "status",
        "published_at",
    )
    filter_horizontal = ("professional_groups",)
    inlines = [ContributionEventInline]
    actions = ("publish_contributions",)
    fieldsets = (
        (
            "Moderation",
            {
                "fields": (
                    "contribution_state",
                    "contributor_email",
                    "consent_at",
                    "moderation_message",
                    "status",
                    "published_at",
                )
            },
        ),
        *CASE_CONTENT_FIELDSETS,
        (
            "Kilde",
            {"fields": ("source_title", "source_publisher", "source_reference", "source_year")},
        ),
        ("Kontakt", {"fields": ("contact_name", "contact_email", "credit_person")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(contribution_state="")

    def has_add_permission(self, request):
        return False

    def view_on_site(self, case):
        """Only a published contribution has a page to look at."""
        return case.get_absolute_url() if case.is_public else None

    @admin.display(description="bidragyderens konto")
    def contributor_email(self, case):
        return case.contributor.email if case.contributor_id else "(slettet konto)"

    @admin.action(description="Offentliggør de valgte bidrag", permissions=["change"])
    def publish_contributions(self, request, queryset):
        cases = list(queryset)
        for case in cases:
            contributions.publish(case, request.user)
        self.message_user(request, f"{len(cases)} bidrag er offentliggjort.", messages.SUCCESS)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<int:pk>/send-retur/",
                self.admin_site.admin_view(self.return_view),
                name=f"{prefix}_return",
            ),
            path(
                "<int:pk>/offentliggoer/",
                self.admin_site.admin_view(self.publish_view),
                name=f"{prefix}_publish",
            ),
            *super().get_urls(),
        ]

    def _contribution(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _change_url(self, case):
        return reverse("admin:cases_contribution_change", args=[case.pk])

    def publish_view(self, request, pk):
        """POST from the contribution's page: publish it now."""
        case = self._contribution(request, pk)
        if request.method != "POST":
            return redirect(self._change_url(case))
        contributions.publish(case, request.user)
        self.message_user(request, f"„{case.title}“ er offentliggjort.", messages.SUCCESS)
        return redirect(self._change_url(case))

    def return_view(self, request, pk):
        """Send the contribution back with a message; the contributor gets it by e-mail."""
        case = self._contribution(request, pk)
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                contributions.return_to_contributor(
                    case, request.user, form.cleaned_data["message"]
                )
            except contributions.NotAllowed as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    f"„{case.title}“ er sendt retur til bidragyderen med din besked.",
                    messages.SUCCESS,
                )
                return redirect(self._change_url(case))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case,
            "form": form,
            "title": f"Send „{case.title}“ retur",
            "can_return": case.contribution_state == ContributionState.SENT,
        }
        return TemplateResponse(request, "admin/cases/contribution/return.html", context)


class ReturnForm(forms.Form):
    message = forms.CharField(
        label="Besked til bidragyderen",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Hvad skal rettes eller uddybes? Sendes på e-mail og vises under „Mine bidrag“.",
        error_messages={"required": "Skriv en besked til bidragyderen om, hvad der skal rettes."},
    )
