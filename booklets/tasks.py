"""The booklet queue's task: lay a booklet out and save it (see queue.py)."""

from celery import shared_task

from . import queue


@shared_task(name="booklets.render", ignore_result=True)
def render_booklet(message, key):
    """`message`: a BookletOrder as plain values; `key`: the name to save it under."""
    queue.render(queue.BookletOrder.from_message(message), key)
