# The task queue's app, loaded with Django so that `shared_task`s use it (portal/celery.py).
from .celery import app as celery_app

__all__ = ("celery_app",)
