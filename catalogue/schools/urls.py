"""The public offer for schools, under ``scholen/`` (English ``schools/``)."""

app_name = "schools"

urlpatterns: list = []
