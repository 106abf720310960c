"""Refuse a too large request before the portal has received it.

Django checks an attachment's size only once the whole body has arrived (a 60 MiB body
is received, then rejected). Here:

- `RequestSizeLimitMiddleware` answers 413 with a Danish page as soon as the request's
  Content-Length says the body is larger than an application with its largest
  attachment can be, before a byte of the body is read;
- `SizeLimitUploadHandler` (first in FILE_UPLOAD_HANDLERS) counts the uploaded files'
  bytes while the body streams in, and stops at the first byte past the same limit:
  that covers bodies whose length is not announced or not to be trusted.

A file a little over MAX_ATTACHMENT_SIZE still arrives and gets the form's own error,
which keeps what the applicant typed; the limit here is for what no form can use.

The middleware parses a multipart POST itself, so that the handler's stop becomes the
same 413 page and not an error further on (the CSRF check reads the form next anyway).
"""

from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render

from initiatives.validators import MAX_ATTACHMENT_SIZE

# Room for the form's other fields (at most a few thousand characters each) and the
# multipart boundaries around them.
FORM_FIELDS_ROOM = 512 * 1024
MAX_REQUEST_BODY = MAX_ATTACHMENT_SIZE + FORM_FIELDS_ROOM


class UploadTooLarge(SuspiciousOperation):
    """The uploaded files grew past MAX_REQUEST_BODY while being received."""


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops the upload at the first byte past MAX_REQUEST_BODY (all files together)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_REQUEST_BODY:
            raise UploadTooLarge("Uploaded files exceed MAX_REQUEST_BODY.")
        return raw_data

    def file_complete(self, file_size):
        return None


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large_response(request):
    response = render(
        request,
        "upload_too_large.html",
        {"max_attachment_mb": MAX_ATTACHMENT_SIZE // (1024 * 1024)},
        status=413,
    )
    # No "Connection: close" here: WSGI leaves hop-by-hop headers to the server (runserver
    # refuses them); gunicorn's sync workers close every connection after the response.
    return response


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_length(request) > MAX_REQUEST_BODY:
            return too_large_response(request)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 - parses the body through the upload handlers
            except UploadTooLarge:
                return too_large_response(request)
        return self.get_response(request)
