"""An email backend that fails like an unreachable SMTP server."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Forbindelsen til mailserveren blev afbrudt")
