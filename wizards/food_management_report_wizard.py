# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

REPORT_XMLID = "food_order_center.action_report_management"
REPORT_MODEL = "report.food_order_center.report_management"
MANAGER_GROUP = "food_order_center.group_order_center_manager"


class FoodManagementReportWizard(models.TransientModel):
    """A manager prints or e-mails the management report (R14) of a
    period."""

    _name = "food.management.report.wizard"
    _description = "Management Report"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self._default_last_week()[0],
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self._default_last_week()[1],
        help="Included. The report compares the period with the period of the "
        "same length just before.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Send To",
        default=lambda self: (
            self.env.company.food_management_report_user_ids or self.env.user
        ),
        domain=lambda self: [("groups_id", "in", self.env.ref(MANAGER_GROUP).ids)],
        help="Order center managers who receive the report by e-mail, each in "
        "their language.",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._(
                        "The report period starts on %(date_from)s, after its "
                        "end on %(date_to)s: choose a start date on or before "
                        "the end date.",
                        date_from=wizard.date_from,
                        date_to=wizard.date_to,
                    )
                )

    def action_print(self):
        """The PDF of the period, for the web client to download."""
        self.ensure_one()
        company = self._get_report_company()
        return (
            self.env.ref(REPORT_XMLID)
            .with_env(company.env)
            .report_action(company, data=self._prepare_report_data())
        )

    def action_send(self):
        """E-mail the report of the period to the chosen managers (the
        periodic sending is not affected)."""
        self.ensure_one()
        self._get_report_company()._food_send_management_report(
            self.date_from, self.date_to, users=self.user_ids
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The management report was sent to %(users)s.",
                    users=", ".join(self.user_ids.mapped("name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _get_report_company(self):
        """The company of the report, once the user may see its report, in
        an environment where it is allowed (it may not be the active one)."""
        self.env[REPORT_MODEL]._check_management_access(self.company_id)
        return self.company_id.with_company(self.company_id)

    def _prepare_report_data(self):
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
        }

    @api.model
    def _default_last_week(self):
        """Monday and Sunday of the last full week."""
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
