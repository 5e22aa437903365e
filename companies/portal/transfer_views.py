"""HR's application questions (*toepassingsvragen*): three months after a run, per participant,
"wordt het geleerde toegepast?"."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from enrolment.models import TransferCheck
from enrolment.transfer import selectors as transfer_selectors
from enrolment.transfer import services as transfer_services
from technohub.errors import DomainError

from ..models import Company
from .views import company_page, hr_view


class TransferAnswersForm(forms.Form):
    """One radio group per question, ``answer_<id>``; an empty group leaves its answer as is."""

    def __init__(self, *args, checks: list[TransferCheck], **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = checks
        for check in checks:
            self.fields[f"answer_{check.pk}"] = forms.ChoiceField(
                label=gettext_lazy("Wordt het geleerde toegepast?"),
                choices=TransferCheck.Answer.choices,
                required=False,
                initial=check.answer or None,
                widget=forms.RadioSelect,
            )

    def rows(self):
        """(question, its bound field) in the order of the questions."""
        return [(check, self[f"answer_{check.pk}"]) for check in self.checks]

    def answers(self) -> dict[int, str]:
        return {
            check.pk: self.cleaned_data.get(f"answer_{check.pk}") or "" for check in self.checks
        }


@hr_view
@require_http_methods(["GET", "POST"])
def transfer_checks(request, company: Company):
    """The company's application questions, open ones first; the answers saved together."""
    checks = transfer_selectors.list_transfer_checks(company=company)
    form = TransferAnswersForm(request.POST if request.method == "POST" else None, checks=checks)
    if request.method == "POST" and form.is_valid():
        try:
            changed = transfer_services.answer_transfer_checks(
                company=company, hr_user=request.user, answers=form.answers()
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            if changed:
                messages.success(request, _("Je antwoorden zijn opgeslagen. Dank je wel!"))
            else:
                messages.info(request, _("Er was niets veranderd."))
            return redirect("portal:transfer_checks", slug=company.slug)
    return company_page(
        request,
        "portal/transfer_checks.html",
        company,
        form=form,
        open_count=sum(1 for check in checks if not check.answer),
    )
