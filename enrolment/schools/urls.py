"""A teacher's school visits (``mijn-schoolbezoeken/``), the host's answer link, and the
coordinator's pages, which the back office mounts (``backoffice:``)."""

app_name = "school_requests"

urlpatterns: list = []

backoffice_urlpatterns: list = []
