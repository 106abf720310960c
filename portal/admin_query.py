"""The admin's lists refuse a query string with a NUL character.

A list in the admin turns its query string into database lookups (`?field__icontains=`),
and PostgreSQL refuses NUL in text: such a link was a server error for anyone on the
desk. No link the admin makes has a NUL, so it gets a short Danish 400 page instead.
The public pages check their own parameters (forms, filters).
"""

from django.shortcuts import render
from django.urls import reverse


def has_nul(query):
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()
    )


class AdminQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and has_nul(request.GET):
            return render(request, "admin_query_not_readable.html", status=400)
        return self.get_response(request)
