"""Django's password reset, limited so that nobody can flood an inbox or the mail server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponse
from django.template.loader import render_to_string

from runstrong.web.coaching.client_ip import client_ip
from runstrong.web.coaching.rate_windows import within_limit
from runstrong.web.coaching.tasks import send_emails

TOO_MANY = (
    "Too many reset emails were asked for from here or for this address. "
    "Wait an hour, then try again; the last email sent still works."
)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, with the email handed to the worker: the page does not wait on the
    mail server (nor tells by its speed whether the address has an account)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_emails.enqueue([{"subject": subject, "body": body, "to": to_email}])


class LimitedPasswordResetView(PasswordResetView):
    """Counts each request per address of the caller and per email typed; over either limit
    the form comes back with why (429), and no email is sent. The answer is the same whether
    or not the email belongs to an account, as Django's own."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        rate = settings.RUNSTRONG_PASSWORD_RESET_RATE
        email = form.cleaned_data["email"].strip().lower()
        # Counted across the server's workers: a per-process count let every worker send five.
        by_caller = within_limit("password-reset-ip", client_ip(self.request), rate, alias="limits")
        by_email = within_limit("password-reset-email", email, rate, alias="limits")
        if by_caller and by_email:
            return super().form_valid(form)
        form.add_error("email", TOO_MANY)
        response = self.form_invalid(form)
        response.status_code = 429
        return response
