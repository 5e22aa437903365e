"""HR imports employees from a CSV file: upload, check the preview, then save.

Between the preview and the confirmation the checked rows wait in the session under a random
import id (only the normalised fields, never the file), so a confirmation needs no second
upload and works whichever web process serves it. The service checks them again anyway.
"""

import secrets
import time
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ..models import Company, Membership
from . import roster_import, services
from .forms import ImportConfirmForm, ImportUploadForm
from .roster_import import RowCheck
from .views import hr_view

SESSION_KEY = "roster_imports"
PENDING_FOR = 60 * 60  # seconds a preview can be confirmed
MAX_PENDING = 3  # previews kept per session; older ones are dropped
PREVIEW_LIMIT = 500  # rows shown per table; the counts cover them all


@hr_view
@require_http_methods(["GET", "POST"])
def import_members(request, company: Company):
    """Upload a CSV file and see what a sync would do; confirm to bring the roster in line."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, company)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            rows = roster_import.check_file(company=company, data=form.cleaned_data["file"].read())
        except roster_import.RosterFileError as refused:
            form.add_error("file", refused.message)
        else:
            import_id = _remember(request, company, rows)
            leavers = roster_import.find_leavers(company=company, rows=rows)
            return _preview(
                request,
                company,
                rows,
                ImportConfirmForm(initial={"import_id": import_id}, leavers=leavers),
                leavers,
            )
    return _render(request, company, form=form)


def _confirm(request, company: Company):
    rows = _recall(request, company, request.POST.get("import_id", ""))
    if rows is None:
        messages.warning(
            request,
            _("Dit voorbeeld is verlopen of onbekend. Upload het bestand opnieuw."),
        )
        return redirect("portal:import_members", slug=company.slug)
    leavers = roster_import.find_leavers(company=company, rows=rows)
    form = ImportConfirmForm(request.POST, leavers=leavers)
    if form.is_valid():
        try:
            result = services.import_members(
                company=company,
                rows=rows,
                hr_user=request.user,
                all_or_nothing=form.cleaned_data["mode"] == "all",
                site_url=settings.SITE_URL,
            )
        except services.ImportRefused as refused:
            form.add_error(None, refused.message)
        else:
            _forget(request, form.cleaned_data["import_id"])
            removed = services.remove_leavers(
                memberships=form.cleaned_data["remove"],
                hr_user=request.user,
                cancel_enrolments=form.cleaned_data.get("enrolments") == "cancel",
            )
            _report(request, result, removed=len(removed), kept=len(leavers) - len(removed))
            return redirect("portal:roster", slug=company.slug)
    # Show the rows as they are now: the roster may have changed since the upload.
    return _preview(
        request, company, roster_import.check_rows(company=company, rows=rows), form, leavers
    )


def _report(request, result: services.ImportResult, *, removed: int, kept: int) -> None:
    """What the sync did, in a few messages."""
    if result.changed_nothing and not removed:
        messages.info(
            request,
            _("Niets veranderd: de medewerkerslijst kwam al overeen met het bestand."),
        )
    if result.added:
        messages.success(
            request,
            ngettext(
                "%(count)s nieuwe medewerker gemaild. Wie al een account had, staat op de "
                "lijst zodra de uitnodiging is geaccepteerd.",
                "%(count)s nieuwe medewerkers gemaild. Wie al een account had, staat op de "
                "lijst zodra de uitnodiging is geaccepteerd.",
                result.added,
            )
            % {"count": result.added},
        )
    if result.updated:
        messages.success(
            request,
            ngettext(
                "Van %(count)s medewerker zijn de gegevens bijgewerkt.",
                "Van %(count)s medewerkers zijn de gegevens bijgewerkt.",
                result.updated,
            )
            % {"count": result.updated},
        )
    if removed:
        messages.success(
            request,
            ngettext(
                "%(count)s medewerker van de lijst gehaald.",
                "%(count)s medewerkers van de lijst gehaald.",
                removed,
            )
            % {"count": removed},
        )
    if kept:
        messages.info(
            request,
            ngettext(
                "%(count)s medewerker staat niet in het bestand maar blijft op de lijst.",
                "%(count)s medewerkers staan niet in het bestand maar blijven op de lijst.",
                kept,
            )
            % {"count": kept},
        )
    if result.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s rij met een fout is overgeslagen.",
                "%(count)s rijen met een fout zijn overgeslagen.",
                len(result.skipped),
            )
            % {"count": len(result.skipped)},
        )


def _preview(
    request,
    company: Company,
    rows: list[RowCheck],
    form: ImportConfirmForm,
    leavers: list[Membership],
):
    valid = [row for row in rows if row.is_valid]
    invalid = [row for row in rows if not row.is_valid]
    if not invalid:
        form.hide_choice()
    counts = Counter(row.action for row in valid)
    # Whether an address has an account here is never shown: every new row looks the same.
    return _render(
        request,
        company,
        preview=True,
        confirm_form=form,
        total=len(rows),
        valid=valid[:PREVIEW_LIMIT],
        valid_count=len(valid),
        invalid=invalid[:PREVIEW_LIMIT],
        invalid_count=len(invalid),
        new_count=counts[RowCheck.NEW],
        update_count=counts[RowCheck.UPDATE],
        same_count=counts[RowCheck.UNCHANGED] + counts[RowCheck.INVITED],
        leavers=leavers,
        preview_limit=PREVIEW_LIMIT,
    )


def _render(request, company: Company, **context):
    return render(request, "portal/import_members.html", {"company": company, **context})


# --- Pending imports in the session -----------------------------------------------------------


def _pending(request) -> dict:
    """The session's pending imports that have not expired, oldest first."""
    now = time.time()
    pending = request.session.get(SESSION_KEY, {})
    return {key: value for key, value in pending.items() if value["at"] + PENDING_FOR > now}


def _remember(request, company: Company, rows: list[RowCheck]) -> str:
    import_id = secrets.token_hex(16)
    pending = _pending(request)
    pending[import_id] = {
        "company": company.pk,
        "at": time.time(),
        "rows": [row.fields() for row in rows],
    }
    request.session[SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
    return import_id


def _recall(request, company: Company, import_id: str) -> list[RowCheck] | None:
    entry = _pending(request).get(import_id)
    if entry is None or entry["company"] != company.pk:
        return None
    return [RowCheck.from_fields(values) for values in entry["rows"]]


def _forget(request, import_id: str) -> None:
    pending = _pending(request)
    pending.pop(import_id, None)
    request.session[SESSION_KEY] = pending
