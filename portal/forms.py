"""What the portal's public forms share."""


class ErrorsDescribedMixin:
    """Marks every field with an error `aria-invalid` and points its `aria-describedby` at
    the message, for forms whose templates place fields by hand (WCAG 3.3.1)."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{described} {self.auto_id % name}-error".strip()
