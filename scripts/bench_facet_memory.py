"""The case list's facet index at 100,000 published cases: memory per process, build time
and the time of one filter state's counts.

    DATABASE_URL=postgres://... python scripts/bench_facet_memory.py [--cases 100000]

Adds cases (short texts: the index holds none of them) with two to four themes and one to
three professional groups each, like scripts/bench_case_list.py, inside a transaction that
is rolled back at the end, so the database is left as it was. Then, in this process:

- RSS:        the resident memory before and after building the index (the index kept);
- traced:     what Python allocated for a second index and still holds (tracemalloc);
- build:      seconds to build the index (its queries included);
- counts:     the median time of the list's counts for one random filter state.

Run by `make bench-list` after the load rounds.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")


class Rollback(Exception):
    pass


def rss_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def add_cases(total):
    from django.utils import timezone

    from cases.models import Case, ThemedCase
    from portal.models import ProfessionalGroup, Region, Sector, Theme

    have = Case.objects.published().count()
    rng = random.Random(100)
    themes = list(Theme.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    sectors = list(Sector.objects.values_list("pk", flat=True))
    groups = list(ProfessionalGroup.objects.values_list("pk", flat=True))
    if not (themes and regions and sectors and groups):
        sys.exit("Databasen mangler temaer, regioner, sektorer eller faggrupper.")
    now = timezone.now()
    through = Case.professional_groups.through
    for start in range(have, total, 10_000):
        cases = Case.objects.bulk_create(
            [
                Case(
                    title=f"Hukommelsesmåling {number}",
                    slug=f"facet-memory-{number}",
                    lead="Kort.",
                    body="Kort.",
                    place="Et sted",
                    region_id=rng.choice(regions),
                    sector_id=rng.choice(sectors),
                    source_title="Måling",
                    status=Case.Status.PUBLISHED,
                    published_at=now - timezone.timedelta(minutes=rng.randint(60, 900_000)),
                )
                for number in range(start, min(start + 10_000, total))
            ]
        )
        ThemedCase.objects.bulk_create(
            ThemedCase(content_object_id=case.pk, tag_id=theme)
            for case in cases
            for theme in rng.sample(themes, rng.randint(2, 4))
        )
        through.objects.bulk_create(
            through(case_id=case.pk, professionalgroup_id=group)
            for case in cases
            for group in rng.sample(groups, rng.randint(1, 3))
        )
    return Case.objects.published().count()


def build_index():
    """A new index of the library as it is in this transaction (its version label is only
    a name here)."""
    from cases.facets import FacetIndex

    return FacetIndex("bench-facet-memory")


def random_states(index, count):
    rng = random.Random(5)
    values = {dimension: list(bits) for dimension, bits in index.bits.items()}
    states = []
    for _ in range(count):
        selected = {}
        for dimension, choices in values.items():
            if choices and rng.random() < 0.4:
                selected[dimension] = rng.sample(choices, min(len(choices), rng.randint(1, 2)))
        states.append((selected, rng.random() < 0.7))
    return states


def measure(total):
    import django

    django.setup()
    from django.db import transaction

    try:
        with transaction.atomic():
            started = time.perf_counter()
            count = add_cases(total)
            added = time.perf_counter() - started
            gc.collect()
            before = rss_mib()
            started = time.perf_counter()
            index = build_index()
            build = time.perf_counter() - started
            gc.collect()
            rss_delta = rss_mib() - before

            tracemalloc.start()
            second = build_index()
            gc.collect()
            traced = tracemalloc.get_traced_memory()[0] / 2**20
            tracemalloc.stop()
            del second

            timings = []
            for selected, match_all in random_states(index, 200):
                started = time.perf_counter()
                index.counts(selected, match_all)
                timings.append(time.perf_counter() - started)
            raise Rollback
    except Rollback:
        pass
    print(
        f"\nFacetindekset ved {count} offentliggjorte cases (tilføjet på {added:.0f} s, "
        f"rullet tilbage igen):\n"
        f"  hukommelse pr. proces: {rss_delta:.1f} MiB RSS-tilvækst, {traced:.1f} MiB "
        f"ifølge tracemalloc\n"
        f"  bygget på {build:.2f} s; tællinger for én filtertilstand: median "
        f"{statistics.median(timings) * 1000:.2f} ms, p95 "
        f"{sorted(timings)[int(len(timings) * 0.95)] * 1000:.2f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    measure(parser.parse_args().cases)
