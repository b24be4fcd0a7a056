"""A streaming read replica of the local PostgreSQL: for the replica tests and the two-server benchmark.

    python scripts/pg_replica.py          # make one if there is none; prints its port

A hot standby made with pg_basebackup from the primary (127.0.0.1:5432) into a data
directory of its own, started on port 5433 and streaming from the primary. Idempotent:
a replica already streaming is left as it is. Runs the PostgreSQL binaries of the primary's
version as the `postgres` user (so it must run as root or as postgres) and fails loudly,
naming what is missing, when it cannot: tests that need a replica fail rather than skip.
docs/deployment.md shows the same steps for two machines.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg

PRIMARY_HOST = os.environ.get("MISSIVE_PRIMARY_HOST", "127.0.0.1")
PRIMARY_PORT = int(os.environ.get("MISSIVE_PRIMARY_PORT", "5432"))
PORT = int(os.environ.get("MISSIVE_REPLICA_PORT", "5433"))
DATA = Path(os.environ.get("MISSIVE_REPLICA_DATA", "/var/lib/postgresql/missive-replica"))
REPLICATION_RULE = f"host replication all {PRIMARY_HOST}/32 trust"


class ReplicaFailed(RuntimeError):
    pass


def connect(port, dbname="postgres"):
    return psycopg.connect(
        host=PRIMARY_HOST, port=port, user="postgres", dbname=dbname, autocommit=True
    )


def is_streaming(port=PORT):
    try:
        with connect(port) as connection:
            return connection.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    except psycopg.OperationalError:
        return False


def as_postgres(*command):
    """Run a PostgreSQL program as the postgres user; ReplicaFailed with its output if it fails."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    elif os.environ.get("USER") != "postgres":
        raise ReplicaFailed("making a replica needs root or the postgres user")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ReplicaFailed(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def binaries(primary):
    major = primary.execute("SHOW server_version_num").fetchone()[0][:2]
    path = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (path / "pg_basebackup").exists():
        raise ReplicaFailed(
            f"no PostgreSQL {major} programs in {path} (Debian's postgresql-{major})"
        )
    return path


def allow_replication(primary):
    """The primary lets this machine stream from it (a pg_hba.conf line, then a reload)."""
    hba = Path(primary.execute("SHOW hba_file").fetchone()[0])
    if REPLICATION_RULE not in hba.read_text().splitlines():
        with hba.open("a") as rules:
            rules.write(
                f"\n# A local read replica (Missive's scripts/pg_replica.py)\n{REPLICATION_RULE}\n"
            )
        primary.execute("SELECT pg_reload_conf()")


def ensure_replica():
    """The port of a streaming replica of the primary, made and started if there is none."""
    if is_streaming():
        return PORT
    try:
        primary = connect(PRIMARY_PORT)
    except psycopg.OperationalError as error:
        raise ReplicaFailed(f"the primary on {PRIMARY_HOST}:{PRIMARY_PORT} is down: {error}")
    with primary:
        bin_dir = binaries(primary)
        allow_replication(primary)
    if (DATA / "postmaster.pid").exists():  # a replica that stopped streaming: made afresh
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                bin_dir / "pg_ctl",
                "-D",
                DATA,
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.parent.mkdir(parents=True, exist_ok=True)
    as_postgres(
        str(bin_dir / "pg_basebackup"),
        *("-h", PRIMARY_HOST, "-p", str(PRIMARY_PORT), "-U", "postgres"),
        *("-D", str(DATA), "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast"),
    )
    # Debian keeps a cluster's settings in /etc, outside the data directory the backup copied.
    (DATA / "postgresql.conf").write_text(
        f"port = {PORT}\nlisten_addresses = '{PRIMARY_HOST}'\nhot_standby = on\n"
        "unix_socket_directories = '/var/run/postgresql'\nmax_connections = 100\n"
    )
    (DATA / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
    )
    shutil.chown(DATA / "postgresql.conf", "postgres", "postgres")
    shutil.chown(DATA / "pg_hba.conf", "postgres", "postgres")
    as_postgres(
        str(bin_dir / "pg_ctl"), "-D", str(DATA), "-l", str(DATA / "replica.log"), "-w", "start"
    )
    for _ in range(60):
        if is_streaming():
            return PORT
        time.sleep(0.5)
    raise ReplicaFailed(
        f"the replica on port {PORT} did not start streaming; see {DATA / 'replica.log'}"
    )


def wait_for_replay(database, timeout=10.0, port=PORT):
    """Wait until the replica has replayed everything the primary has written so far."""
    with connect(PRIMARY_PORT, database) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with connect(port, database) as replica:
        while time.monotonic() < deadline:
            caught_up = replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()[0]
            if caught_up:
                return
            time.sleep(0.02)
    raise ReplicaFailed(f"the replica had not replayed the primary's writes after {timeout} s")


if __name__ == "__main__":
    try:
        print(ensure_replica())
    except ReplicaFailed as failure:
        sys.exit(f"pg_replica: {failure}")
