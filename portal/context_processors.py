from django.conf import settings
from django.urls import reverse


def site(request):
    # Reversed once per request: case cards link each theme to the filtered list and
    # post to the folder, and a {% url %} per card or tag was a measurable share of the
    # list page's rendering time.
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CASE_LIST_URL": reverse("cases:list"),
        "FOLDER_ADD_URL": reverse("booklets:folder_add"),
        "FOLDER_REMOVE_URL": reverse("booklets:folder_remove"),
    }
