"""A teacher's school visits (``mijn-schoolbezoeken/``), the host's answer link, and the
coordinator's pages, which the back office mounts (``backoffice:``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import teacher_views

app_name = "school_requests"

urlpatterns: list = [
    path(_("scholen/<slug:slug>/aanvragen/"), teacher_views.new, name="new"),
    path(_("mijn-schoolbezoeken/"), teacher_views.mine, name="mine"),
    path(_("mijn-schoolbezoeken/<int:pk>/"), teacher_views.detail, name="detail"),
    path(_("mijn-schoolbezoeken/<int:pk>/annuleren/"), teacher_views.cancel, name="cancel"),
    path(_("mijn-schoolbezoeken/<int:pk>/verzetten/"), teacher_views.reschedule, name="reschedule"),
]

backoffice_urlpatterns: list = []
