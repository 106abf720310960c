"""Search quality: nDCG@10 and recall@10 of the case search over the relevance sets.

    make bench-search                      # a throwaway PostgreSQL with the demo fixtures
    DATABASE_URL=postgres://... python scripts/bench_search.py   # a database already loaded

The queries and their graded judgements are in tests/cases/relevance/ (dev.json to tune
against, heldout.json to check). Each query is run as the case list runs a search typed
into its search box (`q` and the default order; BENCH_SORT=newest sends `sort=newest` as
the box did before issue 14), and its first ten results are scored.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "cases" / "relevance"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
K = 10


def dcg(gains):
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def score(ranked_pks, grades):
    """(nDCG@K, recall@K) of one ranking; recall counts the relevant cases found among the
    first K, out of at most K (so a query with 16 relevant cases can reach 1.0)."""
    gains = [grades.get(str(pk), 0) for pk in ranked_pks[:K]]
    ideal = dcg(sorted(grades.values(), reverse=True)[:K])
    relevant = {pk for pk, grade in grades.items() if grade > 0}
    found = sum(1 for pk in ranked_pks[:K] if str(pk) in relevant)
    return dcg(gains) / ideal if ideal else 0.0, found / min(K, len(relevant))


def run_set(name, verbose, extra):
    from cases.filters import CaseFilter

    queries = json.loads((SETS / f"{name}.json").read_text())
    total_ndcg = total_recall = 0.0
    for entry in queries:
        data = {"q": entry["query"], **extra}
        ranked = [case.pk for case in CaseFilter(data).listed_page(0, K)]
        ndcg, recall = score(ranked, entry["grades"])
        total_ndcg += ndcg
        total_recall += recall
        if verbose:
            print(f"  {ndcg:5.2f} {recall:5.2f}  {entry['query']!r}: {ranked}")
    count = len(queries)
    print(
        f"{name:8} {count:3} søgninger  nDCG@{K} {total_ndcg / count:.3f}  "
        f"recall@{K} {total_recall / count:.3f}"
    )


def bench(verbose):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench_search kræver PostgreSQL (DATABASE_URL=postgres://...).")
    extra = {"sort": os.environ["BENCH_SORT"]} if os.environ.get("BENCH_SORT") else {}
    for name in ("dev", "heldout"):
        run_set(name, verbose, extra)


def with_throwaway_postgresql(verbose):
    """Start a PostgreSQL of our own, load the demo fixtures, run the bench, stop it."""
    port = os.environ.get("PG_PORT", "55462")
    directory = Path(tempfile.mkdtemp(prefix="portal-bench-search-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if as_postgres:
        shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"

    def pg(*args):
        subprocess.run([*as_postgres, *map(str, args)], check=True, stdout=subprocess.DEVNULL)

    pg(PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off"
    pg(PG_BIN / "pg_ctl", "-D", data, "-l", directory / "server.log", "-w", "-o", options, "start")
    try:
        pg(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "portal")
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/portal",
            "DEBUG": "1",
        }
        python = [sys.executable, str(ROOT / "manage.py")]
        fixtures = sorted(str(p) for p in (ROOT / "fixtures").glob("0[1-4]*.json"))
        for command in (["migrate"], ["loaddata", *fixtures], ["rebuild_search_index"]):
            subprocess.run(
                [*python, *command, "-v0"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
            )
        args = [sys.executable, __file__, *(["-v"] if verbose else [])]
        subprocess.run(args, check=True, env=env, cwd=ROOT)
    finally:
        pg(PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "stop")
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    verbose = "-v" in sys.argv[1:]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        bench(verbose)
    else:
        with_throwaway_postgresql(verbose)
