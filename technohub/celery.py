"""The Celery application: broker is Redis, tasks are found in each app's ``tasks`` module."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technohub.settings.local")

app = Celery("technohub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
