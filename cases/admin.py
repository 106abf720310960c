from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple

from portal.models import Theme

from .models import Case


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
        count = self._set_status(queryset, Case.Status.PUBLISHED)
        self.message_user(request, f"{count} case(s) er offentliggjort.")

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
