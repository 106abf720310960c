"""Loaded with `-p tests.pytest_env` before Django is configured.

The settings refuse to start without SECRET_KEY unless DEBUG is on; the test run gets
a throwaway key here so `pytest` works on its own as well as through `make test`.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Production defaults redirect every plain-HTTP request to HTTPS; the test client and the
# browser tests' live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

# Rendered booklets go to a throwaway folder, never into the project's var/.
if "BOOKLET_STORAGE_DIR" not in os.environ:
    import tempfile

    os.environ["BOOKLET_STORAGE_DIR"] = tempfile.mkdtemp(prefix="portal-test-booklets-")

# Whitenoise warns on every request when STATIC_ROOT does not exist; tests don't collect.
if "STATIC_ROOT" not in os.environ:
    import tempfile

    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="portal-test-static-")
