"""Full addresses on the portal's configured SITE_URL, for what is read elsewhere (an
intranet's iframe, a shared link, an embed snippet)."""

from urllib.parse import quote

from django import template

from portal.accounts import on_site as _on_site

register = template.Library()


@register.filter
def on_site(url):
    """`url` (a path) as a full address on SITE_URL."""
    return _on_site(str(url))


@register.simple_tag
def mailto_href(subject, *lines):
    """A mailto: address with `subject` and the `lines` as the body, percent-encoded as
    RFC 6068 asks (spaces as %20, line breaks as %0D%0A)."""
    body = "\r\n".join(str(line) for line in lines)
    return f"mailto:?subject={quote(str(subject), safe='')}&body={quote(body, safe='')}"
