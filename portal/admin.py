from django.contrib import admin
from django.db.models import Count
from taggit.models import Tag

from .models import ProfessionalGroup, Region, Sector, Theme, ThemeGroup

# django-taggit registers its generic Tag, whose merge page checks no permission (any
# staff user could create tags and cause errors). The portal's themes are their own model.
admin.site.unregister(Tag)


class ThemeInline(admin.TabularInline):
    model = Theme
    fields = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


@admin.register(ThemeGroup)
class ThemeGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "source")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "group", "position", "case_count")
    list_filter = ("group",)
    list_select_related = ("group",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("themed_cases"))

    @admin.display(description="cases", ordering="case_count")
    def case_count(self, theme):
        return theme.case_count


@admin.register(Region, Sector, ProfessionalGroup)
class ReferenceDataAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
