"""Who answers for the portal: the secretariat and the data controller, from settings.

The contact page, the privacy policy and the accessibility statement show these. A value
that is not set is shown as a placeholder naming the setting, so a deployment that forgot
one says so on the page instead of showing nothing (or a no-reply address as contact).
"""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings


@dataclass(frozen=True)
class Detail:
    """One shown value, or the setting that must be set for it."""

    value: str
    setting: str

    @property
    def missing(self):
        return not self.value


def contact_email(configured):
    """The bare address of SECRETARIAT_EMAIL, or "" when it is only the no-reply sender."""
    address = parseaddr(configured or "")[1]
    local, _, domain = address.rpartition("@")
    if not local or domain == "localhost" or local.lower().startswith(("noreply", "no-reply")):
        return ""
    return address


@dataclass(frozen=True)
class SiteInfo:
    secretariat_email: Detail
    secretariat_phone: Detail
    controller_name: Detail
    controller_address: Detail
    controller_email: Detail
    retention_years: int
    workshop_retention_days: int

    @property
    def missing_settings(self):
        return [
            detail.setting
            for detail in (
                self.secretariat_email,
                self.secretariat_phone,
                self.controller_name,
                self.controller_address,
                self.controller_email,
            )
            if detail.missing
        ]


def site_info():
    return SiteInfo(
        secretariat_email=Detail(contact_email(settings.SECRETARIAT_EMAIL), "SECRETARIAT_EMAIL"),
        secretariat_phone=Detail(settings.SECRETARIAT_PHONE.strip(), "SECRETARIAT_PHONE"),
        controller_name=Detail(settings.DATA_CONTROLLER_NAME.strip(), "DATA_CONTROLLER_NAME"),
        controller_address=Detail(
            settings.DATA_CONTROLLER_ADDRESS.strip(), "DATA_CONTROLLER_ADDRESS"
        ),
        controller_email=Detail(
            parseaddr(settings.DATA_CONTROLLER_EMAIL)[1], "DATA_CONTROLLER_EMAIL"
        ),
        retention_years=settings.RETENTION_YEARS,
        workshop_retention_days=settings.WORKSHOP_REGISTRATION_RETENTION_DAYS,
    )
