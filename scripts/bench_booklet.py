"""Benchmark: inspiration booklets of 16, 100 and 500 cases as PDF.

    python scripts/bench_booklet.py [--sizes 16 100 500] [--keep PATH] [--repeat N]

Generates cases with Danish text as long as the portal's real cases (fixtures/: about
1,500 characters of lead, body, learnings and advice on average) in a throwaway SQLite
database (or the database in DATABASE_URL, whose case tables it fills), then for each
size, in a fresh child process (so that peak memory is that size's own):

- portal:  what a request for the booklet does, minus HTTP: the query with its
           prefetches, the booklet structure, the templates, the layout of its parts in
           the worker processes (BOOKLET_RENDER_PROCESSES, warm as in a running queue
           worker) and joining them (booklets.pdf.BookletPdf.render, as the worker runs it);
- plain:   WeasyPrint alone on a plain document of the same text, in one process: every
           heading, paragraph, list item and fact of the booklet (cover, introduction,
           contents, cases) as <h1>–<h4>, <p> and <li> in one HTML document, with the
           same fonts, size and page margins and page numbers, written by one
           HTML(...).write_pdf() as a tagged PDF like the booklet (`plain_html`);
- ratio:   portal / plain in seconds (issue 15: at most 1.2 for 100 cases);
- utag:    plain written untagged (WeasyPrint's default), and portal / that: the price
           of the tagged PDF the booklet must be, shown, not hidden;
- CPU s:   the portal's CPU seconds, this process and the workers together (what a queue
           worker's cores spend on one booklet);
- cpu:     portal / plain in CPU time, this process and the workers together: the
           portal's work over WeasyPrint's own (the design's layout, templates and QR
           codes, the front matter laid out twice, the page numbers, joining);
- egen:    the portal's own part of "portal": query, booklet structure and templates;
- cached:  the same booklet again, read back from the booklet storage;
- pages, PDF size, peak memory of this process and of the largest worker.

Times are the best of --repeat runs (default 1 for 500 cases, 3 otherwise), portal and
plain taken in turn so that other work on the machine hits both alike; the slowest ratio is
printed beside the best, with the load average.
"""

import argparse
import html as html_module
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = [
    "Afdelingen har indført en ny arbejdsgang, som sikrer, at man altid ved, hvor "
    "patienterne skal modtages – også inden de er meldt.",
    "Det øger forudsigeligheden i arbejdet og nedsætter antallet af forstyrrelser.",
    "Læge og sygeplejerske holder sammen udskrivelsessamtalen dagen før, patienten "
    "forventes udskrevet.",
    "Medarbejderne oplever, at deres faglighed kommer i spil, og at de får tid til kerneopgaven.",
    "Lederen har øje for, at det er de rigtige medarbejdere, der løser de rigtige opgaver.",
    "En leananalyse kortlagde patienternes vej gennem systemet og gjorde overgange og "
    "ventetider synlige.",
    "Ved at sløjfe omkørslerne i forløbet blev vejen fra diagnose til behandling kortere.",
    "Sygefraværet faldt fra 6,1 til 4,3 procent i løbet af det første år.",
    "Flere deltidsansatte valgte at gå op i tid, da vagtplanen blev lagt i fællesskab.",
    "Den tværfaglige tavlemøde-struktur giver overblik over dagens opgaver på få minutter.",
    "Arbejdsmiljørepræsentanten var med fra begyndelsen og sikrede medarbejdernes stemme.",
    "Nyuddannede får en fast mentor det første halve år, hvilket styrker fastholdelsen.",
    "Man har aftalt, hvem der tager imod patienterne, og hvor de skal ligge.",
    "Instrukserne er tilpasset afdelingens patienter, så meningsløse målinger undgås.",
    "Erfaringerne er samlet i en pjece, som andre afdelinger kan bruge som skabelon.",
    "Projektet er forankret i MED-udvalget og følges op på hvert kvartalsmøde.",
    "Særligt i weekenderne har det gjort en forskel for både patienter og pårørende.",
    "Der blev afsat tid til sparring, så ingen står alene med de svære samtaler.",
]
PLACES = [
    "Aarhus Universitetshospital, Akutafdelingen",
    "Sjællands Universitetshospital, Køge, Medicinsk afdeling",
    "Odense Universitetshospital, Ortopædkirurgisk afdeling",
    "Aalborg Universitetshospital, Ambulatoriet for lungesygdomme",
    "Psykiatrien i Region Hovedstaden, Ballerup",
    "Hospitalsenheden Vest, Herning, Fødeafdelingen",
    "Regionshospitalet Nordjylland, Hjørring, Kirurgisk afsnit",
]
THEMES = [
    (
        "Kerneopgave",
        "Arbejdet tilrettelægges med udgangspunkt i kerneopgaven: det, "
        "patienterne og borgerne har brug for, og som giver arbejdet mening.",
    ),
    (
        "Frisættelse",
        "Medarbejdere og ledere får rum til at bruge deres faglighed og "
        "til selv at finde løsninger tæt på opgaven.",
    ),
    (
        "Fuldtid",
        "Flere medarbejdere arbejder fuld tid, når vagtplaner, opgaver og kultur understøtter det.",
    ),
    (
        "Fastholdelse",
        "Gode arbejdspladser holder på deres medarbejdere gennem hele "
        "arbejdslivet – fra nyuddannet til seniormedarbejder.",
    ),
    (
        "Arbejdsmiljø",
        "Et godt psykisk arbejdsmiljø hænger tæt sammen med, hvordan "
        "arbejdet er organiseret, og hvordan kerneopgaven løses.",
    ),
    (
        "Rette kompetencer til rette opgaver",
        "De rigtige medarbejdere løser de rigtige opgaver, og alles kompetencer bliver brugt.",
    ),
]
REGIONS = [
    "Region Hovedstaden",
    "Region Sjælland",
    "Region Syddanmark",
    "Region Midtjylland",
    "Region Nordjylland",
]
SECTORS = ["Somatik", "Psykiatri", "Sociale tilbud"]
PROFESSIONS = [
    "Sygeplejersker",
    "Læger",
    "Social- og sundhedsassistenter",
    "Fysioterapeuter",
    "Sekretærer",
    "Portører",
]


TARGET_RATIO = 1.2
TARGET_SIZE = 100


class _PlainText(HTMLParser):
    """The text blocks of a booklet's HTML, in order: (tag, text)."""

    BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "dt", "dd"}
    SKIP = {"head", "style", "script"}

    def __init__(self):
        super().__init__()
        self.blocks, self.text, self.tag, self.skipping = [], [], None, 0

    def close_block(self):
        text = " ".join("".join(self.text).split())
        if self.tag and text:
            self.blocks.append((self.tag, text))
        self.text, self.tag = [], None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "dd" and self.tag == "dt":
            # A fact's label and value make one paragraph: "Sted: …".
            self.text.append(": ")
        elif tag in self.BLOCKS:
            self.close_block()
            self.tag = tag
        elif tag == "span" and self.text:
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping -= 1
        elif tag in self.BLOCKS and tag != "dt":
            self.close_block()

    def handle_data(self, data):
        if not self.skipping and self.tag:
            self.text.append(data)


def plain_html(documents):
    """The text of `documents` (HTML) as one plain HTML document: headings stay headings,
    list items a list, everything else paragraphs; no classes, images or links."""
    body, in_list = [], False
    for document in documents:
        parser = _PlainText()
        parser.feed(document)
        parser.close()
        parser.close_block()
        for tag, text in parser.blocks:
            if (tag == "li") != in_list:
                body.append("<ul>" if tag == "li" else "</ul>")
                in_list = tag == "li"
            tag = tag if tag in {"h1", "h2", "h3", "h4", "li"} else "p"
            body.append(f"<{tag}>{html_module.escape(text)}</{tag}>")
    if in_list:
        body.append("</ul>")
    return (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Hæftets tekst'
        "</title></head><body>" + "\n".join(body) + "</body></html>"
    )


# The booklet's page size, margins, font and size, and its page numbers; nothing else.
PLAIN_STYLESHEET = """
@page { size: A4; margin: 24mm 20mm 22mm 22mm;
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font-size: 8pt; } }
html { font-family: "IBM Plex Sans", sans-serif; font-size: 10pt; line-height: 1.45; }
p { margin: 0 0 2.5mm; }
"""


def setup_django(database_url):
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("TESTING", "1")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def generate(total, seed=2026):
    """Create the taxonomy and `total` published cases (bulk inserts)."""
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.text import slugify

    from cases.models import Case, ThemedCase
    from portal.models import ProfessionalGroup, Region, Sector, Theme, ThemeGroup

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    group, _ = ThemeGroup.objects.get_or_create(
        slug="bench-hovedtemaer", defaults={"name": "Portalens hovedtemaer", "position": 1}
    )
    themes = [
        Theme.objects.get_or_create(
            slug=f"bench-{slugify(name)}",
            defaults={
                "name": f"{name} (bench)",
                "description": text,
                "group": group,
                "position": index,
            },
        )[0]
        for index, (name, text) in enumerate(THEMES)
    ]
    regions = [
        Region.objects.get_or_create(slug=f"bench-{slugify(n)}", defaults={"name": f"{n} (bench)"})[
            0
        ]
        for n in REGIONS
    ]
    sectors = [
        Sector.objects.get_or_create(slug=f"bench-{slugify(n)}", defaults={"name": f"{n} (bench)"})[
            0
        ]
        for n in SECTORS
    ]
    professions = [
        ProfessionalGroup.objects.get_or_create(
            slug=f"bench-{slugify(n)}", defaults={"name": f"{n} (bench)"}
        )[0]
        for n in PROFESSIONS
    ]
    Case.objects.filter(slug__startswith="bench-case-").delete()
    now = timezone.now()

    def paragraph(count):
        return " ".join(rng.choice(SENTENCES) for _ in range(count))

    cases = []
    for number in range(1, total + 1):
        cases.append(
            Case(
                title=f"Eksempel {number}: Når afdelingen tilrettelægger arbejdet i fællesskab",
                slug=f"bench-case-{number}",
                lead=paragraph(2),
                body="\n\n".join(paragraph(rng.randint(2, 4)) for _ in range(rng.randint(2, 3))),
                key_learnings="\n".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4))),
                dos="\n".join(rng.choice(SENTENCES) for _ in range(rng.choice([0, 0, 2]))),
                donts="\n".join(rng.choice(SENTENCES) for _ in range(rng.choice([0, 0, 2]))),
                place=rng.choice(PLACES),
                region=rng.choice(regions),
                sector=rng.choice(sectors),
                source_title="Inspirationshæfte om arbejdsmiljø og kerneopgave",
                source_publisher="Danske Regioner",
                source_reference=f"Eksempel {number}",
                source_year=2016,
                status=Case.Status.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=number),
                updated_at=now,
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=500)
    links, group_links = [], []
    through = Case.professional_groups.through
    for case in cases:
        for theme in rng.sample(themes, rng.randint(1, 3)):
            links.append(ThemedCase(content_object=case, tag=theme))
        for profession in rng.sample(professions, rng.randint(1, 3)):
            group_links.append(through(case_id=case.pk, professionalgroup_id=profession.pk))
    ThemedCase.objects.bulk_create(links, batch_size=1000)
    through.objects.bulk_create(group_links, batch_size=1000)
    return [theme.slug for theme in themes]


def _cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(size, repeat):
    """Run in a child process: time one size and print a JSON line."""
    import pikepdf
    import weasyprint
    from django.conf import settings
    from weasyprint.text.fonts import FontConfiguration

    from booklets import parts, pdf
    from booklets.booklet import build_booklet, qr_data_uri
    from cases.models import Case
    from portal.models import Theme

    chosen = list(Theme.objects.filter(slug__startswith="bench-").order_by("position")[:3])

    def build(count):
        queryset = (
            Case.objects.published()
            .filter(slug__startswith="bench-case-")
            .order_by("published_at")
            .with_list_relations()
        )
        booklet = build_booklet(
            list(queryset[:count]),
            title="Inspirationshæfte",
            subtitle="Benchmark",
            chosen_themes=chosen,
        )
        return pdf.BookletPdf(booklet)

    def workers():
        pool = parts._pool
        return [process.pid for process in (pool._processes or {}).values()] if pool else []

    def cpu_now():
        return time.process_time() + sum(_cpu_seconds(pid) for pid in workers())

    def plain(document, options):
        """WeasyPrint alone on the booklet's text as a plain document: (bytes, CPU s)."""
        # The contents with two-digit page numbers, as most of a 100-case booklet's.
        text = plain_html([document.front_html(defaultdict(lambda: 88)), *document.body_html])
        cpu_start = time.process_time()
        font_config = FontConfiguration()
        css = weasyprint.CSS(
            string=pdf._font_face_css() + PLAIN_STYLESHEET, font_config=font_config
        )
        out = weasyprint.HTML(string=text, base_url=str(ROOT)).write_pdf(
            stylesheets=[css], font_config=font_config, **options
        )
        return out, time.process_time() - cpu_start

    # A server is warm: its worker processes run, with WeasyPrint and the fonts loaded.
    processes = settings.BOOKLET_RENDER_PROCESSES
    build(settings.BOOKLET_MIN_CASES_PER_PART * processes).render()

    # Alternate portal and plain so that noise from other processes hits both alike.
    portal_times, portal_cpu, floor_times, floor_cpu, own_times = [], [], [], [], []
    untagged_times = []
    for _ in range(repeat):
        # Cold: nothing of this booklet made before, not its page numbers nor QR codes.
        pdf._numbers_cache.clear()
        qr_data_uri.cache_clear()
        start, cpu_start = time.perf_counter(), cpu_now()
        document = build(size)
        own_times.append(time.perf_counter() - start)
        data = document.render()
        portal_times.append(time.perf_counter() - start)
        portal_cpu.append(cpu_now() - cpu_start)
        page_count = len(pikepdf.open(io.BytesIO(data)).pages)
        start = time.perf_counter()
        plain_pdf, cpu = plain(document, pdf.PDF_OPTIONS)
        floor_times.append(time.perf_counter() - start)
        floor_cpu.append(cpu)
        start = time.perf_counter()
        plain(document, {})
        untagged_times.append(time.perf_counter() - start)
    ratios = [p / f for p, f in zip(portal_times, floor_times, strict=True)]

    # A booklet made before: the request reads it back from the booklet storage.
    with tempfile.TemporaryDirectory() as folder:
        from django.core.files.base import ContentFile
        from django.test import override_settings

        from booklets import queue
        from booklets.storage import booklet_storage, name_for

        storage = {"BACKEND": "booklets.storage.BookletFileStorage"}
        storage["OPTIONS"] = {"location": folder}
        with override_settings(STORAGES={**settings.STORAGES, "booklets": storage}):
            booklet_storage().save(name_for("bench"), ContentFile(data))
            start = time.perf_counter()
            queue.stored_pdf("bench")
            cached = time.perf_counter() - start

    if os.environ.get("BENCH_KEEP"):
        Path(os.environ["BENCH_KEEP"], f"booklet-{size}.pdf").write_bytes(data)
    print(
        json.dumps(
            {
                "size": size,
                "parts": len(document.parts),
                "portal": min(portal_times),
                "floor": min(floor_times),
                "cpu_ratio": min(portal_cpu) / min(floor_cpu),
                "own": min(own_times),
                "cached": cached,
                "pages": page_count,
                "pdf_kib": len(data) // 1024,
                "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "untagged": min(untagged_times),
                "worst_ratio": max(ratios),
                "plain_pages": len(pikepdf.open(io.BytesIO(plain_pdf)).pages),
                "worker_peak_mib": max((_peak_mib(pid) for pid in workers()), default=0.0),
                "portal_cpu": min(portal_cpu),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 100, 500])
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--keep", help="write each booklet's PDF into this folder")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(os.environ["BENCH_DATABASE_URL"])
        measure(args.child, args.repeat or 1)
        return

    with tempfile.TemporaryDirectory() as tmp:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        setup_django(database_url)
        start = time.perf_counter()
        generate(max(args.sizes))
        print(
            f"Genererede {max(args.sizes)} cases på {time.perf_counter() - start:.1f} s "
            f"({database_url.split(':')[0]})"
        )
        print(
            f"Målt {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC på {os.cpu_count()} "
            f"kerner, BOOKLET_RENDER_PROCESSES="
            f"{os.environ.get('BOOKLET_RENDER_PROCESSES') or 'standard'}"
            f", load {Path('/proc/loadavg').read_text().split()[0]}"
        )
        print(
            f"{'cases':>6} {'dele':>5} {'sider':>6} {'portal s':>9} {'plain s':>8} "
            f"{'sider':>6} {'ratio':>6} {'værste':>7} {'utag s':>7} {'ratio':>6} {'cpu':>6} "
            f"{'CPU s':>6} {'egen s':>7} {'cache s':>8} {'PDF KiB':>8} {'peak MiB':>9} "
            f"{'arb. MiB':>9}"
        )
        env = dict(os.environ, BENCH_DATABASE_URL=database_url)
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            env["BENCH_KEEP"] = str(Path(args.keep).resolve())
        rows = []
        for size in args.sizes:
            repeat = args.repeat or (1 if size >= 500 else 3)
            output = (
                subprocess.run(
                    [sys.executable, __file__, "--child", str(size), "--repeat", str(repeat)],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            row = json.loads(output)
            rows.append(row)
            print(
                f"{row['size']:>6} {row['parts']:>5} {row['pages']:>6} {row['portal']:>9.2f} "
                f"{row['floor']:>8.2f} {row['plain_pages']:>6} "
                f"{row['portal'] / row['floor']:>6.2f} {row['worst_ratio']:>7.2f} "
                f"{row['untagged']:>7.2f} {row['portal'] / row['untagged']:>6.2f} "
                f"{row['cpu_ratio']:>6.2f} {row['portal_cpu']:>6.2f} {row['own']:>7.2f} "
                f"{row['cached']:>8.3f} {row['pdf_kib']:>8} {row['peak_mib']:>9.0f} "
                f"{row['worker_peak_mib']:>9.0f}"
            )
        for row in rows:
            if row["size"] == TARGET_SIZE:
                ratio = row["portal"] / row["floor"]
                verdict = "OPFYLDT" if ratio <= TARGET_RATIO else "IKKE OPFYLDT"
                print(
                    f"\nKoldt hæfte med {TARGET_SIZE} cases: {row['portal']:.2f} s = {ratio:.2f}× "
                    f"(værste runde {row['worst_ratio']:.2f}×) WeasyPrint alene på et almindeligt "
                    f"dokument med samme tekst ({row['floor']:.2f} s, tagget PDF som hæftet; "
                    f"utagget {row['untagged']:.2f} s) – mål ≤ {TARGET_RATIO}×: {verdict}"
                )


if __name__ == "__main__":
    main()
