"""`make bench`: Missive at scale, measured against the framework's own floor.

Seeds a synthetic archive (SCALE claims, 200,000 unless set, over a tenth as many letters)
into the PostgreSQL database named by DATABASE_URL (with the scale appended to its name when
not 200,000) if it has none, starts the production server (config/serve.py, two worker
processes, DEBUG off) and drives it with wrk from this machine. For every page it prints
requests/s and p50/p99 latency twice:

- warm: the page cache on and filled, 8 connections (what visitors mostly get);
- cold: the page cache off, one connection (every request rendered from the database);

and, measured inside one Django process with the page cache off, the p50 of each page's
whole request beside the p50 of its time in SQL, so what is not the database shows.
Each warm figure is also a ratio to /healthz from the same run. Then the time and peak
memory of a CSV export of every claim, and of importing a 10,000-claim file into an
empty database; and two production servers sharing one Redis, reading a streaming replica,
driven together (skipped, saying why, where there is no Redis or no replica can be made).
One table, Markdown, on stdout.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/missive_bench python scripts/benchmark.py
    SCALE=1000000 make bench
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLAIMS = int(os.environ.get("SCALE") or 200_000)
LETTERS = CLAIMS // 10
IMPORT_LETTERS, IMPORT_CLAIMS = 1_000, 10_000
SEARCH_WORD = "fishermen"  # one of the synthetic statements' nouns: in about one claim in fifteen
NARROW_SEARCH = "fishermen detained"  # a noun and a verb: in about one claim in 200
DEEP_PAGE = 2_000


def log(message):
    print(message, file=sys.stderr, flush=True)


def manage(*args, env=None, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env or os.environ,
        check=True,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return result.stdout


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url):
    """Create the PostgreSQL database `url` names if it does not exist yet."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def recreate_database(url):
    """Drop and create the PostgreSQL database `url` names (through the maintenance database)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


# The archive --------------------------------------------------------------------------


def ensure_archive():
    manage("migrate", "--noinput", "-v0")
    from claims.models import Claim

    have = Claim.objects.count()
    if have < CLAIMS:
        if have:
            sys.exit(
                f"The database holds {have:,} claims, fewer than {CLAIMS:,}: give an empty database."
            )
        log(f"Seeding {LETTERS:,} letters and {CLAIMS:,} claims (a few minutes, once)…")
        manage("import_letters", "archive/fixtures/letters.json")
        started = time.monotonic()
        manage("seed_synthetic", "--letters", str(LETTERS), "--claims", str(CLAIMS))
        log(f"Seeded in {time.monotonic() - started:.0f} s.")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE"
        )  # as autovacuum would have by now: statistics and visibility maps


def bench_urls():
    """The pages the issue names, resolved against this archive."""
    from django.db.models import Count

    from archive.models import Actor, Letter
    from claims.models import Claim

    busy_letter = Letter.objects.annotate(n=Count("claims")).filter(n=50).order_by("pk").first()
    busiest = Actor.objects.annotate(n=Count("claims_about")).order_by("-n").first()
    # The claim page lists claims about the same parties: the busiest party's is the most work.
    claim = Claim.objects.filter(about=busiest).order_by("pk").first()

    def search(words):
        # What a search costs grows with the claims it ranks: the label says how many.
        matches = Claim.objects.search(words, headlines=False).count()
        return f"/claims/?q={words} ({matches:,} matches)", f"/claims/?{urlencode({'q': words})}"

    return [
        ("/healthz", "/healthz"),
        ("/ (home)", "/"),
        ("/claims/", "/claims/"),
        ("/claims/?status=disputed", "/claims/?status=disputed"),
        search(SEARCH_WORD),
        search(NARROW_SEARCH),
        (f"/claims/ page {DEEP_PAGE:,}", deep_page_url()),
        ("/letters/", "/letters/"),
        # The timeline of every letter the filters pick, and the network of all of them.
        (
            "/letters/?date_from=2010-01-01&date_to=2014-12-31",
            "/letters/?date_from=2010-01-01&date_to=2014-12-31",
        ),
        ("/letters/correspondence/", "/letters/correspondence/"),
        # The read API: a page of claims as JSON records, and the same filtered.
        ("/api/v1/claims/", "/api/v1/claims/"),
        ("/api/v1/claims/?status=disputed", "/api/v1/claims/?status=disputed"),
        ("/letters/<slug>/ (50 claims)", busy_letter.get_absolute_url()),
        ("/claims/<id>/ (about the busiest actor)", claim.get_absolute_url()),
        (f"/actors/<slug>/ (busiest: {busiest.n:,} claims)", busiest.get_absolute_url()),
    ]


def deep_page_url():
    """Page 2,000 of the unfiltered claim list: the link its 1,999th page's Next goes to."""
    from claims.views import ClaimListView
    from core.browse import BrowseView
    from core.keyset import cursor_at

    queryset = ClaimListView().get_queryset()
    return f"/claims/?after={cursor_at(queryset, (DEEP_PAGE - 1) * BrowseView.paginate_by)}"


# The server ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment():
    """`make serve`'s settings for a local run: DEBUG off, plain HTTP on 127.0.0.1."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "local-run-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
        # wrk is one client: the read API's per-address limit would measure 429s.
        "MISSIVE_API_ANON_RATE": "1000000/second",
    }


class Server:
    """The production server as `make serve` runs it (config/serve.py), on a free port."""

    def __init__(self, page_cache, **settings):
        self.port = free_port()
        env = {
            **production_environment(),
            "MISSIVE_PAGE_CACHE": "true" if page_cache else "false",
            **settings,
        }
        manage(
            "collectstatic", "--noinput", "-v0", env=env
        )  # production names static files by their hash
        self.process = subprocess.Popen(
            [PYTHON, "-m", "config.serve"],
            cwd=ROOT,
            env={**env, "MISSIVE_BIND": f"127.0.0.1:{self.port}"},
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        sys.exit("The production server did not start.")

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk_command(url, connections, seconds):
    return [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]


def wrk_figures(url, output):
    """requests/s, p50 ms, p99 ms from wrk --latency's output."""
    if "Non-2xx" in output:
        sys.exit(f"{url} answered with errors under load:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    return rate, to_ms(percentiles["50"]), to_ms(percentiles["99"])


def wrk(url, connections, seconds):
    """requests/s, p50 ms, p99 ms from wrk --latency."""
    command = wrk_command(url, connections, seconds)
    return wrk_figures(
        url, subprocess.run(command, check=True, capture_output=True, text=True).stdout
    )


def wrk_together(urls, connections, seconds):
    """wrk on each URL at once (one process each): their figures, in order."""
    runs = [
        subprocess.Popen(wrk_command(url, connections, seconds), stdout=subprocess.PIPE, text=True)
        for url in urls
    ]
    return [wrk_figures(url, run.communicate()[0]) for url, run in zip(urls, runs, strict=True)]


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure_pages(urls, seconds):
    """wrk on every page, warm for `seconds`, cold for three times as long.

    A cold page serves 15–50 requests a second: in 5 s its p99 would be its slowest
    request or two. Before each measured run a second of load with two connections
    reaches both workers, so none is measured on its first request for the page (its
    database connection loading the search dictionaries, say).
    """
    results = {}
    for page_cache, label, connections, duration in (
        (True, "warm", 8, seconds),
        (False, "cold", 1, 3 * seconds),
    ):
        server = Server(page_cache)
        try:
            for name, path in urls:
                status, _ = server.get(path)  # fills the cache (warm)
                if status != 200:
                    sys.exit(f"{path} answered {status}.")
                wrk(server.base + path, 2, 1)
                results[name, label] = wrk(server.base + path, connections, duration)
                log(f"{label:>4} {name}: {results[name, label][0]:,.0f} req/s")
        finally:
            server.stop()
    return results


# Where a cold page's time goes: SQL, or the rest --------------------------------------


def sql_probe(paths):
    """For each path, p50 ms of the whole request and of its SQL, in this process (page cache off)."""
    django_setup()
    from django.db import connection
    from django.test import Client

    client, results = Client(), {}
    for path in paths:
        totals, sqls = [], []
        for attempt in range(23):
            spent = [0.0]

            def timed(execute, sql, params, many, context, spent=spent):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent[0] += time.perf_counter() - started

            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                response = client.get(path)
                if response.streaming:
                    b"".join(response.streaming_content)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}.")
            if attempt >= 3:  # the first requests load templates and search dictionaries
                totals.append(time.perf_counter() - started)
                sqls.append(spent[0])
        results[path] = (statistics.median(totals) * 1000, statistics.median(sqls) * 1000)
    print(json.dumps(results))


def measure_sql(urls):
    paths = [path for _, path in urls if path != "/healthz"]
    env = {
        **production_environment(),
        "MISSIVE_PAGE_CACHE": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    manage("collectstatic", "--noinput", "-v0", env=env)  # production names static files by hash
    output = subprocess.run(
        [PYTHON, "scripts/benchmark.py", "--sql-probe", json.dumps(paths)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# Two servers, one Redis, a primary and a replica ------------------------------------------

TOPOLOGY_PAGES = ("/ (home)", "/claims/", "/letters/<slug>/ (50 claims)")
REDIS_DATABASE = 13  # the benchmark's own, emptied before each run


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def transactions(port, database):
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=database) as db:
        return db.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [database]
        ).fetchone()[0]


def measure_topology(urls, seconds):
    """Two production servers sharing one Redis, anonymous pages from a streaming replica,
    each under its own wrk at the same time: Markdown lines for the table."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import pg_replica

    if not redis_answers():
        return ["Two servers: skipped, no Redis answers on 127.0.0.1:6379."]
    try:
        replica_port = pg_replica.ensure_replica()
    except pg_replica.ReplicaFailed as failure:
        return [f"Two servers: skipped, no replica could be made ({failure})."]
    url = os.environ["DATABASE_URL"]
    database = urlsplit(url).path.lstrip("/")
    replica_url = urlunsplit(urlsplit(url)._replace(netloc=f"postgres@127.0.0.1:{replica_port}"))
    pg_replica.wait_for_replay(database, timeout=120)
    settings = {
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DATABASE}",
        "DATABASE_REPLICA_URLS": replica_url,
    }
    lines = [
        "Two production servers (each as above) on two ports, sharing one Redis (CACHE_URL) and "
        f"reading a streaming replica (DATABASE_REPLICA_URLS, port {replica_port}), each driven by "
        f"its own wrk at the same time. Warm: 4 connections each, {seconds} s; cold: 1 each, "
        f"{3 * seconds} s.",
        "",
        "| Page | Warm req/s (both) | Warm p50 ms (1st, 2nd) | Cold req/s (both) | Cold p50 ms (1st, 2nd) "
        "| Transactions on the replica | on the primary |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    figures = {}
    for page_cache, connections, duration in ((True, 4, seconds), (False, 1, 3 * seconds)):
        manage(
            "shell",
            "-c",
            "from django.core.cache import caches; caches['pages'].clear()",
            env={**os.environ, **settings},
        )
        servers = [Server(page_cache, **settings) for _ in range(2)]
        try:
            for name, path in urls:
                if name not in TOPOLOGY_PAGES:
                    continue
                for server in servers:
                    server.get(path)
                    wrk(server.base + path, 2, 1)
                before = transactions(replica_port, database), transactions(5432, database)
                figures[name, page_cache] = wrk_together(
                    [server.base + path for server in servers], connections, duration
                )
                after = transactions(replica_port, database), transactions(5432, database)
                figures[name, page_cache, "transactions"] = (
                    after[0] - before[0],
                    after[1] - before[1],
                )
                log(f"two servers, {'warm' if page_cache else 'cold'} {name}: done")
        finally:
            for server in servers:
                server.stop()
    for name in TOPOLOGY_PAGES:
        warm, cold = figures[name, True], figures[name, False]
        on_replica = sum(figures[name, cache, "transactions"][0] for cache in (True, False))
        on_primary = sum(figures[name, cache, "transactions"][1] for cache in (True, False))
        lines.append(
            f"| {name} | {sum(f[0] for f in warm):,.0f} | {warm[0][1]:.2f}, {warm[1][1]:.2f} "
            f"| {sum(f[0] for f in cold):,.0f} | {cold[0][1]:.2f}, {cold[1][1]:.2f} "
            f"| {on_replica:,} | {on_primary:,} |"
        )
    return lines


# Export and import, each in a child process so its peak memory is its own --------------


def export_probe():
    """Stream /claims/export.csv through Django to nowhere; print rows and bytes."""
    django_setup()
    from django.test import Client

    response = Client().get("/claims/export.csv")
    assert response.status_code == 200, response.status_code
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    print(json.dumps({"rows": rows, "bytes": size}))


def measure_export():
    started = time.monotonic()
    result = subprocess.run(
        [
            PYTHON,
            "-c",
            "import resource, runpy, sys; sys.argv=['x', '--export-probe']; "
            "runpy.run_path('scripts/benchmark.py', run_name='__main__'); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    probe, peak_kb = result.stdout.strip().splitlines()[-2:]
    return seconds, int(peak_kb) / 1024, json.loads(probe)


def measure_import(url):
    """Import a 10,000-claim file into an empty database; the file is made once, from a seeded scratch database."""
    cache = ROOT / ".bench"
    cache.mkdir(exist_ok=True)
    path = cache / f"import-{IMPORT_CLAIMS}.json"
    scratch = with_database(url, urlsplit(url).path.lstrip("/") + "_import")
    env = {**os.environ, "DATABASE_URL": scratch}
    if not path.exists():
        log(f"Writing a {IMPORT_CLAIMS:,}-claim import file (once)…")
        recreate_database(scratch)
        manage("migrate", "--noinput", "-v0", env=env)
        manage(
            "seed_synthetic",
            "--letters",
            str(IMPORT_LETTERS),
            "--claims",
            str(IMPORT_CLAIMS),
            env=env,
        )
        manage("export_letters", str(path), env=env)
    recreate_database(scratch)
    manage("migrate", "--noinput", "-v0", env=env)
    # As in any restore, the editor whose own assessments the file names exists first.
    from interchange.synthetic.seeder import EDITOR

    manage(
        "create_editor",
        EDITOR,
        env={**env, "MISSIVE_EDITOR_PASSWORD": "local-run-only-" + "x" * 20},
        capture=True,
    )
    started = time.monotonic()
    result = subprocess.run(
        [
            PYTHON,
            "-c",
            "import resource, sys, runpy; sys.argv=['manage.py', 'import_letters', sys.argv[1]]; "
            "runpy.run_path('manage.py', run_name='__main__'); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
            str(path),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    peak_mb = int(result.stdout.strip().splitlines()[-1]) / 1024
    return seconds, peak_mb, path.stat().st_size / 1e6


# The table ------------------------------------------------------------------------------


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    from django.db import connection

    from config.serve import settings as server_settings

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0].split()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, PostgreSQL {postgresql}, "
        f"Granian {version('granian')} (2 workers, {server_settings()['blocking_threads']} threads "
        "each), wrk on the same machine"
    )


def cpu_reference():
    """Milliseconds a fixed piece of pure Python takes here, best of five: runs on different
    machines (or the same shared machine on a busy day) compare by it. Lower is faster."""

    def work():
        total = 0
        for number in range(2_000_000):
            total += number % 7
        return total

    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def table(results, sql, urls, export, imported, topology, seconds, reference):
    healthz = results["/healthz", "warm"][0]
    lines = [
        f"Missive benchmark, {date.today().isoformat()}: {machine()}; CPU reference {reference:.0f} ms "
        "(a fixed Python loop, best of five: lower is faster).",
        f"{CLAIMS:,} claims in {LETTERS:,} letters. Warm: page cache filled, 8 connections, {seconds} s a page. "
        f"Cold: page cache off, 1 connection, {3 * seconds} s a page.",
        "",
        "| Page | Warm req/s | Share of /healthz | Warm p50 ms | Warm p99 ms "
        "| Cold req/s | Cold p50 ms | Cold p99 ms | In-process p50 ms | of it SQL ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path in urls:
        warm, cold = results[name, "warm"], results[name, "cold"]
        total, in_sql = sql.get(path, (None, None))
        inside = f"{total:.1f} | {in_sql:.1f}" if total is not None else "– | –"
        lines.append(
            f"| {name} | {warm[0]:,.0f} | {warm[0] / healthz:.0%} | {warm[1]:.2f} | {warm[2]:.2f} | "
            f"{cold[0]:,.0f} | {cold[1]:.2f} | {cold[2]:.2f} | {inside} |"
        )
    export_seconds, export_mb, probe = export
    import_seconds, import_mb, import_size = imported
    lines += [
        "",
        "| Job | Time | Peak memory |",
        "|---|---:|---:|",
        f"| CSV export of all {probe['rows'] - 1:,} claims ({probe['bytes'] / 1e6:.0f} MB) | {export_seconds:.1f} s "
        f"| {export_mb:.0f} MB |",
        f"| Import of a {IMPORT_CLAIMS:,}-claim file ({import_size:.0f} MB) into an empty database | "
        f"{import_seconds:.1f} s | {import_mb:.0f} MB |",
        "",
        *topology,
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seconds",
        type=int,
        default=5,
        help="seconds of wrk per warm page, three times that per cold one (default 5)",
    )
    parser.add_argument("--export-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sql-probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_probe:
        return export_probe()
    if args.sql_probe:
        return sql_probe(json.loads(args.sql_probe))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (make bench does).")
    if CLAIMS != 200_000:  # each size its own database, kept for the next run
        url = with_database(url, f"{urlsplit(url).path.lstrip('/')}_{CLAIMS}")
        os.environ["DATABASE_URL"] = url
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk.")
    ensure_database(url)
    django_setup()
    ensure_archive()
    urls = bench_urls()
    reference = cpu_reference()  # before the server starts: the machine as quiet as it gets
    results = measure_pages(urls, args.seconds)
    log("Timing SQL inside each cold page…")
    sql = measure_sql(urls)
    log("Exporting every claim as CSV…")
    export = measure_export()
    log("Importing a 10,000-claim file…")
    imported = measure_import(url)
    log("Two servers, one Redis, one replica…")
    topology = measure_topology(urls, args.seconds)
    print(table(results, sql, urls, export, imported, topology, args.seconds, reference))


if __name__ == "__main__":
    main()
