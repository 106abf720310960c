"""The task queue (Celery): booklets are laid out by its workers, not by the web processes.

Settings come from Django's settings under the CELERY_ prefix (portal/settings.py reads
them from the environment): Redis in production (REDIS_URL or CELERY_BROKER_URL), a
folder under var/ for `make run`. Start a worker with
`celery -A portal worker --pool threads` (README, "Hæfter i en opgavekø").
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
