"""Keep each case's search vector and `updated_at` in step with its text, themes and groups.

Rows saved raw (`loaddata`, a restore) are stored as they were dumped: no handler here
changes content then. The derived search data is rebuilt by `rebuild_search_index`
(`restore_portal` does it itself), or comes with the dump.
"""

from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from portal.models import ProfessionalGroup, Region, Sector, Theme, ThemeGroup

from .facets import FacetIndex
from .filters import TaxonomyOptions
from .models import Case, ThemedCase
from .search import update_search_vector


@receiver(post_save, sender=Case)
def case_saved(sender, instance, raw=False, **kwargs):
    if raw:
        # The groups that loaddata sets next are part of the dump, not an edit.
        instance._loaded_raw = True
    else:
        update_search_vector(instance.pk)
    FacetIndex.library_changed()


@receiver(post_delete, sender=Case)
def case_deleted(sender, instance, **kwargs):
    FacetIndex.library_changed()


@receiver(post_save, sender=ThemedCase)
@receiver(post_delete, sender=ThemedCase)
def case_theme_changed(sender, instance, raw=False, **kwargs):
    if raw:
        FacetIndex.library_changed()
        return
    update_search_vector(instance.content_object_id)
    _touch(instance.content_object_id)


@receiver(m2m_changed, sender=Case.professional_groups.through)
def case_groups_changed(sender, instance, action, **kwargs):
    if not (action.startswith("post_") and isinstance(instance, Case)):
        return
    if getattr(instance, "_loaded_raw", False):
        FacetIndex.library_changed()
        return
    _touch(instance.pk)


@receiver(post_save)
@receiver(post_delete)
def taxonomy_changed(sender, **kwargs):
    """The case list's filter options follow a change to the taxonomy at once."""
    if sender in (Theme, ThemeGroup, Region, Sector, ProfessionalGroup):
        TaxonomyOptions.forget()


def _touch(case_id):
    """A change of themes or groups is a change of the case (list caches, booklets)."""
    Case.objects.filter(pk=case_id).update(updated_at=timezone.now())
    FacetIndex.library_changed()


DANISH_COLLATION = "da-x-icu"


@receiver(connection_created)
def note_danish_collation(sender, connection, **kwargs):
    """Remember per connection whether PostgreSQL has ICU's Danish collation.

    Builds without ICU lack it, and ordering by a missing collation is an error; the
    case list then falls back to plain title order (see CaseQuerySet.in_title_order).
    """
    connection.danish_collation = None
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [DANISH_COLLATION])
        if cursor.fetchone() is not None:
            connection.danish_collation = DANISH_COLLATION
