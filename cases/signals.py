"""Keep each case's search vector and `updated_at` in step with its text, themes and groups,
and count every change to what the case list shows (`library_changed`).

The count is a row in the database bumped in the change's own transaction, so every web
server sees a change on its next request, and a change rolled back never counted. Rows
saved raw (`loaddata`, a restore) are counted too, but stored as they were dumped: no
handler here changes content then. The derived search data is rebuilt by
`rebuild_search_index` (`restore_portal` does it itself), or comes with the dump.
"""

from django.db.backends.signals import connection_created
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from portal.models import ProfessionalGroup, Region, Sector, Theme, ThemeGroup

from .filters import TaxonomyOptions
from .models import Case, Contribution, ThemedCase, library_changed
from .search import update_search_vector, update_search_vectors


@receiver(post_save, sender=Case)
def case_saved(sender, instance, raw=False, **kwargs):
    if raw:
        # The groups that loaddata sets next are part of the dump, not an edit.
        instance._loaded_raw = True
    else:
        update_search_vector(instance.pk)
    library_changed()


@receiver(post_delete, sender=Case)
def case_deleted(sender, instance, **kwargs):
    library_changed()


@receiver(post_save, sender=ThemedCase)
@receiver(post_delete, sender=ThemedCase)
def case_theme_changed(sender, instance, raw=False, **kwargs):
    if raw:
        library_changed()
        return
    update_search_vector(instance.content_object_id)
    _touch(instance.content_object_id)


@receiver(m2m_changed, sender=Case.other_regions.through)
def case_other_regions_changed(sender, instance, action, pk_set=None, **kwargs):
    """A case added to or taken from a region changes the case list's region facet."""
    if not action.startswith("post_"):
        return
    library_changed()
    if getattr(instance, "_loaded_raw", False):
        return
    case_ids = [instance.pk] if isinstance(instance, Case) else list(pk_set or ())
    # The regions' names are in the search vector (cases.search.VECTOR_SQL).
    update_search_vectors(None if action == "post_clear" and not case_ids else case_ids)
    for case_id in case_ids:
        _touch(case_id)


@receiver(m2m_changed, sender=Case.professional_groups.through)
def case_groups_changed(sender, instance, action, pk_set=None, **kwargs):
    """The groups' names are in the search vector: a case given or losing a group (from
    either side of the relation) is searched anew."""
    if not action.startswith("post_"):
        return
    library_changed()
    if getattr(instance, "_loaded_raw", False):
        return
    if isinstance(instance, Case):
        case_ids = [instance.pk]
    elif action == "post_clear":
        case_ids = None  # the cleared cases are unknown now; rebuild what the group had
    else:
        case_ids = list(pk_set or ())
    if case_ids is None:
        update_search_vectors(None)
        return
    update_search_vectors(case_ids)
    for case_id in case_ids:
        _touch(case_id)


TAXONOMY = (Theme, ThemeGroup, Region, Sector, ProfessionalGroup)


@receiver(post_save)
@receiver(post_delete)
def taxonomy_changed(sender, instance=None, created=False, raw=False, **kwargs):
    """The case list's filter options and counts follow a change to the taxonomy on every
    server (the options are kept per library version), and a renamed theme, region,
    sector or group is searched by its new name."""
    if sender not in TAXONOMY:
        return
    TaxonomyOptions.forget()
    library_changed()
    if sender in NAMED_IN_SEARCH and kwargs.get("signal") is post_save and not (created or raw):
        case_ids = list(NAMED_IN_SEARCH[sender](instance).values_list("pk", flat=True))
        if case_ids:
            update_search_vectors(case_ids)
            Case.objects.filter(pk__in=case_ids).update(updated_at=timezone.now())


# The taxonomy whose names are in the search vector, with the cases that carry each.
NAMED_IN_SEARCH = {
    Theme: lambda theme: Case.objects.filter(theme_links__tag=theme),
    Region: lambda region: Case.objects.filter(Q(region=region) | Q(other_regions=region)),
    Sector: lambda sector: Case.objects.filter(sector=sector),
    ProfessionalGroup: lambda group: Case.objects.filter(professional_groups=group),
}


def _touch(case_id):
    """A change of themes or groups is a change of the case (card caches, booklets); the
    update counts it as a change of the library (CaseQuerySet.update)."""
    Case.objects.filter(pk=case_id).update(updated_at=timezone.now())


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


@receiver(post_save, sender=Contribution)
@receiver(post_delete, sender=Contribution)
def contribution_changed(sender, signal, **kwargs):
    """The moderation queue saves cases as its proxy model, whose signals name the proxy:
    the receivers of Case's own (search vector, library version) hear of it too."""
    signal.send(sender=Case, **kwargs)
