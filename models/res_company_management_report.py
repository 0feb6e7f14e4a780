# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The management report (R14) sent by e-mail: by the managers from the
wizard, and by the daily job when a week or a month ended, once per
period, to the managers chosen in the settings, each in their language."""

import base64
import logging
from collections import defaultdict
from datetime import datetime, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "food_order_center.group_order_center_manager"
REPORT_XMLID = "food_order_center.action_report_management"
REPORT_MODEL = "report.food_order_center.report_management"
TEMPLATE_XMLID = "food_order_center.mail_template_management_report"


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _cron_send_management_report(self):
        """Scheduled job, daily: send the management report of each company
        whose period (week or month) ended yesterday, unless sent already."""
        # the job sends the report of every company, whoever runs it
        companies = self.sudo().search(
            [
                ("food_management_report_period", "!=", "none"),
                ("food_management_report_user_ids", "!=", False),
            ]
        )
        companies._food_send_due_management_reports()
        return True

    def _food_send_due_management_reports(self, today=None):
        """Send the reports due on ``today`` (default: today in each
        company's time zone, see ``_food_get_due_management_periods``) to
        the recipients of each company in ``self``, once per period.
        Returns the companies that sent a report."""
        sent = self.browse()
        for company in self:
            day = today or company._food_management_report_today()
            for period in company._food_get_due_management_periods(day):
                # one company's failure (a report that cannot render) leaves
                # the others' reports sent; its next periods wait for it
                try:
                    with self.env.cr.savepoint():
                        company._food_send_management_report(*period)
                        company.food_management_report_sent_until = period[1]
                except Exception:
                    _logger.exception(
                        "Management report of %s for %s to %s not sent",
                        company.name,
                        *period,
                    )
                    break
                sent |= company
        return sent

    def _food_get_due_management_periods(self, today):
        """The periods, as (first day, last day), whose report is due on
        ``today``, oldest first: before any report was sent, the period that
        ended the day before (the previous week on a Monday for weekly
        reports, the previous month on the 1st for monthly ones); after,
        every period ended since the last one sent, so that the days the
        job did not run are caught up."""
        self.ensure_one()
        period = self._food_last_ended_management_period(today)
        if not period:
            return []
        sent_until = self.food_management_report_sent_until
        if not sent_until:
            return [period] if period[1] == today - timedelta(days=1) else []
        periods = []
        while period[1] > sent_until:
            periods.insert(0, period)
            period = self._food_last_ended_management_period(period[0])
        return periods

    def _food_last_ended_management_period(self, today):
        """(first day, last day) of the last week (Monday to Sunday) or
        month that ended before ``today``, by the company's setting."""
        self.ensure_one()
        period = self.food_management_report_period
        if period == "weekly":
            last_day = today - timedelta(days=today.weekday() + 1)
            return last_day - timedelta(days=6), last_day
        if period == "monthly":
            last_day = today.replace(day=1) - timedelta(days=1)
            return last_day.replace(day=1), last_day
        return None

    def _food_send_management_report(self, date_from, date_to, users=None):
        """E-mail the management report of ``date_from`` to ``date_to`` to
        ``users`` (default: the company's recipients), who must be order
        center managers: one e-mail per language, the PDF attached, both in
        that language. Returns the mail.mail records."""
        self.ensure_one()
        if users is None:
            users = self.food_management_report_user_ids
        recipients = users.filtered(
            lambda user: (
                user.active and user.partner_id.email and user.has_group(MANAGER_GROUP)
            )
        )
        if not recipients:
            raise UserError(
                self.env._(
                    "Choose at least one order center manager with an e-mail "
                    "address to send the management report to."
                )
            )
        partners_by_lang = defaultdict(lambda: self.env["res.partner"])
        for user in recipients:
            partners_by_lang[user.lang or "en_US"] |= user.partner_id
        template = self.env.ref(TEMPLATE_XMLID)
        data = {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "company_id": self.id,
        }
        mails = self.env["mail.mail"].sudo()
        for lang, partners in partners_by_lang.items():
            content, report_type = (
                self.env["ir.actions.report"]
                .with_context(lang=lang)
                ._render_qweb_pdf(REPORT_XMLID, self.ids, data=dict(data))
            )
            figures = (
                self.env[REPORT_MODEL]
                .with_context(lang=lang)
                ._get_management_figures(date_from, date_to, self)
            )
            filename = self.with_context(lang=lang).env._(
                "Management Report %(company)s %(date_from)s %(date_to)s",
                company=self.name,
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
            mail_id = template.with_context(
                lang=lang,
                food_management_figures=figures,
            ).send_mail(
                self.id,
                email_values={
                    "recipient_ids": [Command.set(partners.ids)],
                    "attachments": [
                        (f"{filename}.{report_type}", base64.b64encode(content))
                    ],
                },
            )
            mails |= mails.browse(mail_id)
        return mails

    def _food_management_report_today(self):
        return datetime.now(pytz.timezone(self._food_report_tz())).date()
