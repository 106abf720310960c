"""Template access to "Min inspirationsmappe" without extra queries.

The folder is read from the session once per request (cached on the request by
`Folder.for_request`), so a list of 20 cases with a toggle each costs no SQL beyond
the session itself.
"""

from django import template

from ..folder import Folder

register = template.Library()


@register.simple_tag(takes_context=True)
def inspiration_folder(context):
    """`{% inspiration_folder as folder %}`: the request's folder (len, `case in folder`)."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return ()
    return Folder.for_request(request)
