"""Validators shared by the apps."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@deconstructible
class ReservedSlugValidator:
    """Refuses slugs that the portal's own URLs use under the same path (e.g. /cases/mappe/)."""

    def __init__(self, reserved):
        self.reserved = tuple(sorted(reserved))

    def __call__(self, value):
        if value in self.reserved:
            raise ValidationError(
                "„%(slug)s“ bruges af portalen selv; vælg et andet kortnavn.",
                params={"slug": value},
                code="reserved_slug",
            )

    def __eq__(self, other):
        return isinstance(other, ReservedSlugValidator) and self.reserved == other.reserved
