"""Load the case list like 8 facilitators at once and print latency figures.

Fills a PostgreSQL database with 10,000 published cases (text recombined from the demo
fixtures), serves the portal with gunicorn (2 workers), and drives it with wrk (8
connections) over many different filter and search states. Prints p50/p95/p99 and
requests per second. Target: p95 under 150 ms.

Run through `make bench-list` (scripts/bench_case_list.sh starts a throwaway PostgreSQL).
"""

import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

CASE_COUNT = int(os.environ.get("BENCH_CASES", "10000"))
DURATION = os.environ.get("BENCH_DURATION", "30s")
CONNECTIONS = 8
WORKERS = 2
PORT = int(os.environ.get("BENCH_PORT", "8791"))
TARGET_P95_MS = 150
SEARCH_WORDS = [
    "sygeplejersker",
    "arbejdspladser",
    "fastholdelse",
    "flyverkorpset",
    "kerneopgve",
    "vold og trusler",
    "ledelse",
    "introduktion",
    "trivsel",
    "vagtplan",
    "samarbejde",
    "kompetencer",
    "sygefravær",
    "seniorer",
    "tillidsrepræsentant",
]


def populate():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import Case, ThemedCase
    from cases.search import update_search_vector
    from portal.models import ProfessionalGroup, Region, Sector, Theme

    call_command("migrate", verbosity=0)
    call_command(
        "loaddata", *sorted(str(p) for p in (ROOT / "fixtures").glob("0[1-4]*.json")), verbosity=0
    )
    sources = list(Case.objects.all())
    have = Case.objects.count()
    if have >= CASE_COUNT:
        print(f"Databasen har allerede {have} cases.")
        return
    rng = random.Random(2026)
    themes = list(Theme.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    sectors = list(Sector.objects.values_list("pk", flat=True))
    groups = list(ProfessionalGroup.objects.values_list("pk", flat=True))
    now = timezone.now()
    started = time.perf_counter()
    new_cases = []
    for number in range(CASE_COUNT - have):
        a, b = rng.sample(sources, 2)
        new_cases.append(
            Case(
                title=f"{a.title.split(' – ')[0]} ({number})",
                slug=f"bench-{number}",
                lead=a.lead,
                body=a.body + "\n\n" + b.body,
                key_learnings=b.key_learnings,
                place=rng.choice(sources).place,
                region_id=rng.choice(regions),
                sector_id=rng.choice(sectors),
                source_title=a.source_title,
                status=Case.Status.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=rng.randint(60, 900_000)),
            )
        )
    with transaction.atomic():
        created = Case.objects.bulk_create(new_cases, batch_size=1000)
        ThemedCase.objects.bulk_create(
            [
                ThemedCase(content_object_id=case.pk, tag_id=theme)
                for case in created
                for theme in rng.sample(themes, rng.randint(2, 4))
            ],
            batch_size=5000,
        )
        through = Case.professional_groups.through
        through.objects.bulk_create(
            [
                through(case_id=case.pk, professionalgroup_id=group)
                for case in created
                for group in rng.sample(groups, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        update_search_vector(None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Oprettede {len(created)} cases på {time.perf_counter() - started:.1f} s.")


def filter_urls(count=4000):
    """Many different list states: themes, regions, sectors, professions, search, pages."""
    import django

    django.setup()
    from portal.models import ProfessionalGroup, Region, Sector, Theme

    rng = random.Random(7)
    themes = list(Theme.objects.values_list("slug", flat=True))
    regions = list(Region.objects.values_list("slug", flat=True))
    sectors = list(Sector.objects.values_list("slug", flat=True))
    groups = list(ProfessionalGroup.objects.values_list("slug", flat=True))
    urls = {"/cases/"}
    while len(urls) < count:
        params = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            params.append(("theme", rng.choice(themes)))
        if rng.random() < 0.3:
            params.append(("match", "any"))
        if rng.random() < 0.4:
            params.append(("region", rng.choice(regions)))
        if rng.random() < 0.3:
            params.append(("sector", rng.choice(sectors)))
        if rng.random() < 0.3:
            params.append(("profession", rng.choice(groups)))
        if rng.random() < 0.35:
            params.append(("q", rng.choice(SEARCH_WORDS)))
        if rng.random() < 0.3:
            params.append(("sort", rng.choice(["title", "newest"])))
        if rng.random() < 0.2:
            params.append(("page", str(rng.randint(2, 5))))
        urls.add("/cases/?" + "&".join(f"{k}={urllib.request.quote(v)}" for k, v in params))
    return sorted(urls)


WRK_SCRIPT = """
local urls = {}
for line in io.lines("%s") do urls[#urls + 1] = line end
-- Each wrk thread walks its own part of the list, so within one run no filter state
-- is asked for twice (unless the run outlasts the list).
local thread_count = 0
setup = function(thread)
  thread:set("offset", thread_count * math.floor(#urls / 2))
  thread_count = thread_count + 1
end
local counter = nil
request = function()
  if counter == nil then counter = offset end
  counter = counter + 1
  return wrk.format("GET", urls[(counter %% #urls) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT p50=%%.1f p95=%%.1f p99=%%.1f max=%%.1f requests=%%d errors=%%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def run_wrk(script):
    result = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(CONNECTIONS),
            "-d",
            DURATION,
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("RESULT"))
    return dict(part.split("=") for part in line.split()[1:])


def run_load():
    urls = filter_urls()
    workdir = Path(tempfile.mkdtemp(prefix="bench-list-"))
    (workdir / "urls.txt").write_text("\n".join(urls) + "\n")
    (workdir / "load.lua").write_text(WRK_SCRIPT % (workdir / "urls.txt"))
    env = dict(
        os.environ,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(workdir / "static"),
        SECURE_COOKIES="0",
        # wrk speaks plain HTTP to gunicorn; production would redirect it to HTTPS.
        SECURE_SSL_REDIRECT="0",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "portal.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    runs = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/cases/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        # Warm-up on states outside the measured list: connections, compiled templates.
        for url in ["/cases/?sort=title", "/cases/?theme=fuldtid&sort=title"] * 4:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}{url}", timeout=30).read()
        print(
            f"{len(urls)} forskellige listetilstande, {CONNECTIONS} samtidige brugere, "
            f"{WORKERS} gunicorn-workers, {DURATION} pr. runde"
        )
        # First round: states never asked for before, so no cached counts. Second
        # round: the same states again, as when many people browse the same lists.
        for label in ("nye filtertilstande, tom cache", "de samme tilstande igen"):
            runs.append((label, run_wrk(workdir / "load.lua")))
    finally:
        server.terminate()
        server.wait(timeout=30)
    for label, figures in runs:
        p95 = float(figures["p95"])
        rate = int(figures["requests"]) / float(DURATION.rstrip("s"))
        verdict = "OK" if p95 <= TARGET_P95_MS and figures["errors"] == "0" else "OVER MÅLET"
        print(
            f"Case-listen ({label}): p50 {figures['p50']} ms, p95 {p95:.1f} ms, "
            f"p99 {figures['p99']} ms, {rate:.0f} svar/s, fejl {figures['errors']} "
            f"– mål p95 ≤ {TARGET_P95_MS} ms: {verdict}"
        )


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Sæt DATABASE_URL til en PostgreSQL-database (make bench-list gør det).")
    populate()
    run_load()
