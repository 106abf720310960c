"""Links from a printed booklet back to the portal: the full address and its QR code."""

from django import template

from ..booklet import portal_url, qr_data_uri

register = template.Library()

register.filter("portal_url", portal_url)
register.filter("qr_data_uri", qr_data_uri)
