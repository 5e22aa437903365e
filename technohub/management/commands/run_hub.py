"""``make run``: migrate, seed the demo data once, and run web, Celery worker and beat together."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from companies.models import User
from technohub import embedded
from technohub.management.demo_data.accounts import DEMO_LOGINS, PROGRAMME_MANAGER_EMAIL


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the development site: web server, Celery worker and Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, port: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not User.objects.filter(email=PROGRAMME_MANAGER_EMAIL).exists():
            self.stdout.write("Demodata laden …")
            call_command("seed_demo", verbosity=0)

        manage = [sys.executable, "manage.py"]
        celery = [sys.executable, "-m", "celery", "-A", "technohub"]
        processes = {
            "web": subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}"]),
            "worker": subprocess.Popen([*celery, "worker", "-l", "info", "--concurrency", "2"]),
            "beat": subprocess.Popen(
                [*celery, "beat", "-l", "info", "-s", settings.CELERY_BEAT_SCHEDULE_FILENAME]
            ),
        }
        self._print_welcome(port)
        # Stopped from outside (kill, a terminal closing): shut down as on Ctrl-C, servers too.
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGHUP, _interrupt)
        try:
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
            stopped = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"Gestopt: {', '.join(stopped)}. De rest wordt afgesloten.")
        except KeyboardInterrupt:
            self.stdout.write("\nAfsluiten …")
        finally:
            self._stop(processes)

    def _print_welcome(self, port: int) -> None:
        lines = [
            "",
            f"Technohub NOP draait op http://127.0.0.1:{port}/  (beheer: /beheer/)",
            f"Verzonden e-mail staat in {settings.EMAIL_FILE_PATH}",
            "Demo-accounts:",
            *(f"  {role:<20} {email:<32} {password}" for role, email, password in DEMO_LOGINS),
            "Stoppen: Ctrl-C",
            "",
        ]
        self.stdout.write("\n".join(lines))

    def _stop(self, processes: dict[str, subprocess.Popen]) -> None:
        # A second Ctrl-C (or kill) must not cut the shutdown short and leave servers running.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if not os.environ.get("REDIS_URL"):
            embedded.stop_redis(settings.EMBEDDED_PROFILE)
        if not os.environ.get("DATABASE_URL"):
            embedded.stop_postgres(settings.EMBEDDED_PROFILE)
        self.stdout.write("Alles is gestopt.")
