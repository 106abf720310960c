"""`migrate` also makes the shared cache's database table (`createcachetable`).

The login and PDF limits count in the "default" cache, a database table unless
CACHE_URL or REDIS_URL names a Redis server; a deployment that runs `migrate` and forgets
`createcachetable` would otherwise fail at the first login. Creating it is idempotent.
"""

from django.core.management import call_command


def create_cache_table(sender, using="default", **kwargs):
    call_command("createcachetable", database=using, verbosity=0)
