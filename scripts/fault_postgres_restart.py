"""PostgreSQL restarts, and workers die, under load: the site says so, recovers by itself, loses no
acknowledged write and leaves nothing half-written.

Run by .ci/run (and `make fault-test`) against the local PostgreSQL, as root, after the suites:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/missive_fault .venv/bin/python scripts/fault_postgres_restart.py

It builds a fresh database, starts the production server (config/serve.py, four workers), signs an
editor in, and then, from three threads at once: adds actors through the admin (each
one acknowledged by the admin's redirect is written down), reads public pages, and
restarts PostgreSQL a few seconds in. It checks that

- every answer is a 200, a 302, or the 503 page with Retry-After, never a 500 or a dropped connection;
- the outage was seen (at least one 503), and writes succeed again by themselves afterwards;
- every write acknowledged before, during or after the restart is in the database.

Then, for a few seconds more, it kills a server worker (SIGKILL) every KILL_EVERY seconds
while the writes go on (each one an actor with an authority identifier, two rows and their
history in one transaction): a request in flight in a killed worker may fail, but every
acknowledged write is whole, and every fault-test actor in the database has its identifier
and its history (a killed save left nothing half-written).

It prints what it saw and exits non-zero on any failure.
"""

import http.client
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.benchmark import free_port, production_environment, recreate_database  # noqa: E402

PASSWORD = "fault-test-passphrase-1"
RUN_SECONDS = 20
RESTART_AT = 5
# Granian replaces a killed worker at once, but stops altogether if the same worker dies again
# within 5.5 s of its replacement (a crash loop): four workers, the oldest killed every 1.6 s,
# so each dies again only after 6.4 s.
WORKERS = 4
KILL_SECONDS = 9
KILL_EVERY = 1.6


class Session:
    """One browser: cookies by hand (the production cookies are Secure, which urllib would withhold on http)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Retry-After"), text


def restart_postgres():
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )


SERVER_LOG = ROOT / ".bench" / "fault-server.log"


def start_server(port, env):
    """The production server (config/serve.py); its log, a traceback per request refused during
    the outage, to SERVER_LOG."""
    SERVER_LOG.parent.mkdir(exist_ok=True)
    with open(SERVER_LOG, "w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "config.serve"],
            cwd=ROOT,
            env={**env, "MISSIVE_BIND": f"127.0.0.1:{port}", "MISSIVE_WORKERS": str(WORKERS)},
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def main():
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/missive_fault")
    recreate_database(url)
    env = {**production_environment(), "DATABASE_URL": url, "DJANGO_LOG_LEVEL": "CRITICAL"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "import_letters", "archive/fixtures/letters.json"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            f"from django.contrib.auth.models import User; "
            f"User.objects.create_superuser('fault', password='{PASSWORD}')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    server = start_server(port, env)
    failures, answers, acknowledged = [], Counter(), []
    stop = threading.Event()
    killing = (
        threading.Event()
    )  # while set, a dropped connection is a killed worker's, not a failure
    killed = []
    try:
        for _ in range(100):
            try:
                Session(port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        editor = Session(port)
        editor.request("GET", "/admin/login/")
        status, _, _ = editor.request(
            "POST", "/admin/login/", {"username": "fault", "password": PASSWORD, "next": "/admin/"}
        )
        if status != 302:
            sys.exit(f"Could not sign in (status {status}).")

        def check(kind, status, retry_after, text):
            answers[f"{kind} {status}"] += 1
            if status == 503:
                if retry_after is None or "temporarily unavailable" not in text:
                    failures.append(f"{kind}: a 503 without Retry-After or the site's page")
            elif status not in (200, 302):
                excerpt = re.sub(r"\s+", " ", text)[:200]
                failures.append(f"{kind}: status {status}: {excerpt}")

        def write():
            number = 0
            while not stop.is_set():
                number += 1
                name = f"Fault test party {number}"
                form = {
                    "name": name,
                    "slug": f"fault-test-party-{number}",
                    "kind": "group",
                    "change_reason": "fault test",
                    "identifiers-TOTAL_FORMS": "1",
                    "identifiers-INITIAL_FORMS": "0",
                    "identifiers-0-scheme": "wikidata",
                    "identifiers-0-value": f"Q{9_000_000 + number}",
                }
                try:
                    status, retry_after, text = editor.request(
                        "POST", "/admin/archive/actor/add/", form
                    )
                except OSError as error:
                    if killing.is_set():
                        answers["write interrupted by a killed worker"] += 1
                    else:
                        failures.append(f"write {number}: the connection failed ({error})")
                    continue
                check("write", status, retry_after, text)
                if status == 302:
                    acknowledged.append((time.monotonic(), f"fault-test-party-{number}"))
                time.sleep(0.02)

        def read():
            reader = Session(port)
            while not stop.is_set():
                for path in ("/", "/claims/?q=nato", "/letters/"):
                    try:
                        check("read", *reader.request("GET", path))
                    except OSError as error:
                        if killing.is_set():
                            answers["read interrupted by a killed worker"] += 1
                        else:
                            failures.append(f"read {path}: the connection failed ({error})")

        threads = [threading.Thread(target=write), threading.Thread(target=read)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(RESTART_AT)
        restart_began = time.monotonic()
        restart_postgres()
        restart_done = time.monotonic()
        time.sleep(RUN_SECONDS - RESTART_AT)
        killing.set()
        kill_until = time.monotonic() + KILL_SECONDS
        while time.monotonic() < kill_until:
            # The longest-lived worker, by its own age, and only one older than Granian's 5.5 s:
            # the lowest process id is not always the oldest worker (one replaced a moment ago
            # was killed again here once, and Granian took it for a crash loop and stopped).
            ages = subprocess.run(
                ["ps", "-o", "pid=,etimes=", "--ppid", str(server.pid)],
                capture_output=True,
                text=True,
            ).stdout.split()
            workers = [(int(age), int(pid)) for pid, age in zip(ages[::2], ages[1::2], strict=True)]
            if workers and max(workers)[0] >= 6:
                oldest = max(workers)[1]
                os.kill(oldest, 9)
                killed.append(oldest)
            time.sleep(KILL_EVERY)
        time.sleep(2)  # the server replaces the killed workers; the last requests go through them
        if server.poll() is not None:
            failures.append(
                f"the server stopped (exit status {server.returncode}): see {SERVER_LOG}"
            )
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    import psycopg

    with psycopg.connect(url) as connection:
        stored = {
            slug
            for (slug,) in connection.execute(
                "SELECT slug FROM archive_actor WHERE slug LIKE 'fault-test-%'"
            )
        }
        # Half-written: an actor without its identifier, or either without its history.
        half_written = [
            slug
            for (slug,) in connection.execute(
                """
                SELECT a.slug FROM archive_actor a
                WHERE a.slug LIKE 'fault-test-%' AND (
                    (SELECT count(*) FROM archive_actoridentifier i WHERE i.actor_id = a.id) <> 1
                    OR NOT EXISTS (SELECT 1 FROM archive_historicalactor h
                                   WHERE h.id = a.id AND h.history_change_reason = 'fault test')
                    OR NOT EXISTS (SELECT 1 FROM archive_historicalactoridentifier h
                                   JOIN archive_actoridentifier i ON i.id = h.id
                                   WHERE i.actor_id = a.id)
                )
                """
            )
        ]
    lost = [slug for _, slug in acknowledged if slug not in stored]
    after = [moment for moment, _ in acknowledged if moment > restart_done]
    print(
        f"{sum(answers.values())} requests in {time.monotonic() - started:.0f} s: "
        + ", ".join(f"{count} × {answer}" for answer, count in sorted(answers.items()))
    )
    print(
        f"PostgreSQL restart took {restart_done - restart_began:.1f} s; first acknowledged write after it: "
        + (f"{after[0] - restart_done:.1f} s later" if after else "none")
    )
    print(
        f"{len(acknowledged)} writes acknowledged, {len(stored)} in the database, {len(lost)} lost."
    )
    print(
        f"{len(killed)} workers killed in {KILL_SECONDS} s; "
        f"{len(half_written)} fault-test actors half-written."
    )
    print(f"The server's log of the outage: {SERVER_LOG.relative_to(ROOT)}.")
    if not any(answer.endswith("503") for answer in answers):
        failures.append("no request saw the outage (no 503): the restart was not observed")
    if not after:
        failures.append("no write succeeded after the restart: the app did not recover by itself")
    if lost:
        failures.append(f"acknowledged writes lost: {lost[:5]}")
    if not killed:
        failures.append("no worker was killed: the second phase did not run")
    if half_written:
        failures.append(f"half-written saves: {half_written[:5]}")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures[:20]), file=sys.stderr)
        sys.exit(1)
    print(
        "OK: no 500, the outage answered with 503, recovered without a restart, nothing acknowledged "
        "lost, nothing half-written when workers were killed."
    )


if __name__ == "__main__":
    main()
