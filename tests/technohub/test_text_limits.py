"""Every free-text field of the project has a length limit, in the model and in the form."""

import importlib
import pkgutil

from django import forms
from django.apps import apps
from django.db import models

PROJECT_APPS = ("catalogue", "companies", "enrolment", "technohub")


def _project_forms() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            skipped = (".migrations", ".management", ".settings", ".wsgi", ".embedded")
            if not any(part in module.name for part in skipped):
                importlib.import_module(module.name)
    found, queue = [], [forms.Form, forms.ModelForm]
    while queue:
        form = queue.pop()
        queue.extend(form.__subclasses__())
        if form.__module__.split(".")[0] in PROJECT_APPS:
            found.append(form)
    return found


def test_every_text_field_of_every_model_has_a_length_limit():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and not field.max_length
    ]
    assert unbounded == []


def test_every_text_field_of_every_form_has_a_length_limit():
    project_forms = _project_forms()
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in project_forms
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert len(project_forms) > 10
    assert unbounded == []


def test_a_training_need_description_is_limited_to_two_thousand_characters():
    from companies.demand.forms import NeedForm

    assert NeedForm.base_fields["description"].max_length == 2000
