"""A client that stalls, mid-request or mid-download, holds a socket, never the site.

The production server is started as `make serve` starts it (config/serve.py), with one
process of three threads over a small synthetic archive, and clients stall against it the
ways an attacker's would. Under pre-forked synchronous workers (the server Missive had before)
two such clients made /healthz wait 31 s; here every page must answer within seconds.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .production_env import production_environment

ROOT = Path(__file__).resolve().parent.parent
ANSWER_WITHIN = 5  # seconds; a page answers in milliseconds when nothing holds the server
HEADER_TIMEOUT = 1  # seconds, for the test; 10 by default


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow-clients")
    port = free_port()
    env = production_environment(
        folder,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        MISSIVE_BIND=f"127.0.0.1:{port}",
        MISSIVE_WORKERS="1",
        MISSIVE_THREADS="3",
        MISSIVE_CONCURRENT_EXPORTS="1",
        MISSIVE_HEADER_TIMEOUT=str(HEADER_TIMEOUT),
    )
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        # About 8 MB of CSV: more than the kernel and the server buffer for a client that stops reading.
        ["seed_synthetic", "--letters", "800", "--claims", "8000"],
    ):
        subprocess.run(
            [*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
        )
    log = folder / "server.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.serve"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"The production server did not start:\n{log.read_text()}")
        yield port
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def answers(port, path):
    """The page's status, or a failure if the server does not answer within ANSWER_WITHIN."""
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=ANSWER_WITHIN) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except TimeoutError:
        pytest.fail(f"{path} did not answer within {ANSWER_WITHIN} s while clients stalled")


def stalled(port, sent, receive_buffer=None):
    sock = socket.socket()
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect(("127.0.0.1", port))
    sock.sendall(sent)
    return sock


def status_of(sock):
    """The status code on a response's first line (a few bytes read; the rest stays unread)."""
    sock.settimeout(ANSWER_WITHIN)
    head = sock.recv(64)
    return int(head.split(b" ", 2)[1])


def accepted_export(port, request):
    """A stalled download the server took on (200). A download stalled by an earlier test may
    hold the one place a moment longer: the server learns its reader left when it next writes."""
    deadline = time.monotonic() + ANSWER_WITHIN
    while True:
        sock = stalled(port, request, receive_buffer=4096)
        if status_of(sock) == 200:
            return sock
        sock.close()
        if time.monotonic() > deadline:
            pytest.fail(f"No export was taken on within {ANSWER_WITHIN} s")
        time.sleep(0.1)


def test_requests_stalled_before_their_headers_end_hold_no_thread(server):
    clients = [stalled(server, b"GET /claims/ HTTP/1.1\r\nHost: 127.0.0.1\r\n") for _ in range(50)]
    try:
        assert answers(server, "/healthz") == 200
        assert answers(server, "/claims/") == 200
    finally:
        for client in clients:
            client.close()


def test_requests_stalled_before_their_body_ends_hold_no_thread(server):
    head = b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
    clients = [stalled(server, head + b"username=") for _ in range(50)]
    try:
        assert answers(server, "/healthz") == 200
        assert answers(server, "/letters/") == 200
    finally:
        for client in clients:
            client.close()


def test_downloads_whose_readers_stop_reading_leave_threads_for_pages(server):
    request = b"GET /claims/export.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    clients = [accepted_export(server, request)]
    try:
        time.sleep(0.5)  # the export fills every buffer on the way and waits for its reader
        clients += [stalled(server, request, receive_buffer=4096) for _ in range(5)]
        # One export at a time in this process (MISSIVE_CONCURRENT_EXPORTS=1): the rest are told to come back.
        assert [status_of(client) for client in clients[1:]] == [503] * 5

        assert answers(server, "/healthz") == 200
        assert answers(server, "/claims/") == 200
    finally:
        for client in clients:
            client.close()


def test_an_abandoned_download_gives_its_place_back(server):
    request = b"GET /claims/export.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    abandoned = accepted_export(server, request)
    abandoned.close()  # the reader goes away mid-download

    for _ in range(ANSWER_WITHIN * 10):
        if answers(server, "/claims/export.csv?q=nothing-matches-this") == 200:
            break
        time.sleep(0.1)
    else:
        pytest.fail("The abandoned export still holds its place")


def test_a_connection_that_never_finishes_its_headers_is_closed(server):
    client = stalled(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    client.settimeout(HEADER_TIMEOUT + ANSWER_WITHIN)
    try:
        answer = client.recv(1024)  # b"" when closed; or a 408 before closing
    finally:
        client.close()
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408")
