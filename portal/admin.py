from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.db.models import Count
from django.http import Http404
from taggit.models import Tag

from .models import ProfessionalGroup, Region, Sector, Theme, ThemeGroup

# django-taggit registers its generic Tag, whose merge page checks no permission (any
# staff user could create tags and cause errors). The portal's themes are their own model.
admin.site.unregister(Tag)


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" link, for objects of a model the user may see in the admin.

    Django's own view redirects any staff user to any object's page, which names draft
    cases (their slug) to staff who may not see them. Served at the admin's own URL.
    """
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    app_label, model = content_type.app_label, content_type.model
    if not any(request.user.has_perm(f"{app_label}.{a}_{model}") for a in ("view", "change")):
        raise Http404
    return shortcut(request, content_type_id, object_id)


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
