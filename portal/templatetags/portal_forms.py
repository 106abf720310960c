"""Render Django form fields with Det Fælles Designsystem's classes and ARIA links."""

from django import template
from django.template.loader import render_to_string

register = template.Library()

INPUT_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
}


@register.simple_tag
def dkfds_field(field):
    """A field with label, hint and error message, its input described by both."""
    widget = field.field.widget
    if field.widget_type != "checkbox":
        css = INPUT_CLASSES.get(field.widget_type, "form-input")
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{existing} {css}".strip()
        described_by = []
        if field.help_text:
            described_by.append(f"{field.id_for_label}-hint")
        if field.errors:
            described_by.append(f"{field.id_for_label}-error")
            widget.attrs["aria-invalid"] = "true"
        if described_by:
            widget.attrs["aria-describedby"] = " ".join(described_by)
    return render_to_string("includes/form_field.html", {"field": field})
