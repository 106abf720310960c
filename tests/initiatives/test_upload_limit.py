"""A too large upload is refused before the portal has received it, with a Danish 413
page; the file input tells the browser the limit so it can warn before sending."""

import io
import sys
from wsgiref.util import is_hop_by_hop

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import ClientHandler, RequestFactory, encode_multipart
from django.urls import reverse

from initiatives.models import SupportApplication
from initiatives.validators import MAX_ATTACHMENT_SIZE
from portal import uploads

from .conftest import PDF_BYTES

APPLY = reverse("initiatives:apply")
BOUNDARY = "graense-boundary-123"


class UnreadBody(io.RawIOBase):
    """A request body that counts what the server reads of it."""

    def __init__(self, data=b"", fail_on_read=False):
        self.data = io.BytesIO(data)
        self.fail_on_read = fail_on_read
        self.bytes_read = 0

    def readable(self):
        return True

    def read(self, size=-1):
        assert not self.fail_on_read, "the server read the body of a refused request"
        chunk = self.data.read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        chunk = self.data.readline(size)
        self.bytes_read += len(chunk)
        return chunk


def wsgi_post(path, body, content_length):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(content_length),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    return ClientHandler(enforce_csrf_checks=True)(environ)


@pytest.mark.django_db
def test_a_60_mib_body_is_refused_before_a_byte_of_it_is_read(open_round):
    body = UnreadBody(fail_on_read=True)
    response = wsgi_post(APPLY, body, 60 * 1024 * 1024)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Filen er for stor" in page
    assert "højst fylde 10 MB" in page
    # WSGI servers refuse hop-by-hop headers from the application (runserver with a 500).
    assert not [name for name in response.headers if is_hop_by_hop(name)]
    assert body.bytes_read == 0


@pytest.fixture
def logged_in(client, applicant, open_round):
    client.force_login(applicant)
    return client


def test_an_application_with_a_too_large_attachment_gets_the_413_page_and_nothing_is_saved(
    logged_in, form_data
):
    huge = SimpleUploadedFile(
        "stor.pdf", PDF_BYTES + b"0" * (MAX_ATTACHMENT_SIZE + 1024 * 1024), "application/pdf"
    )
    response = logged_in.post(APPLY, form_data(save="1", attachment=huge))
    assert response.status_code == 413
    assert "Filen er for stor" in response.content.decode()
    assert not SupportApplication.objects.exists()


def test_a_file_just_over_the_limit_gets_the_forms_message_and_keeps_the_text(logged_in, form_data):
    big = SimpleUploadedFile("stor.pdf", PDF_BYTES + b"0" * MAX_ATTACHMENT_SIZE)
    response = logged_in.post(APPLY, form_data(save="1", attachment=big))
    assert response.status_code == 200
    assert "Den må højst fylde 10 MB." in response.context["form"].errors["attachment"][0]
    assert "Tværfaglige tavlemøder i akutmodtagelsen" in response.content.decode()


def test_the_upload_handler_stops_reading_at_the_limit_while_the_body_streams_in(monkeypatch):
    """For a body whose length was not announced up front: the handler counts the file's
    bytes as they arrive and stops at the first past the limit."""
    monkeypatch.setattr(uploads, "MAX_REQUEST_BODY", 256 * 1024)
    payload = encode_multipart(
        BOUNDARY,
        {"title": "x", "attachment": SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 4_000_000)},
    )
    body = UnreadBody(payload)
    request = RequestFactory().generic(
        "POST", APPLY, payload, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    request._stream = body
    with pytest.raises(uploads.UploadTooLarge):
        request.POST  # noqa: B018
    assert body.bytes_read < len(payload) // 4


def test_the_file_input_tells_the_browser_the_limit(logged_in):
    page = logged_in.get(APPLY).content.decode()
    assert f'data-max-bytes="{MAX_ATTACHMENT_SIZE}"' in page
