# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression

QUALIFICATION_TYPES = [
    ("food_safety", "Food Safety"),
    ("order_processing", "Order Processing"),
    ("customer_service", "Customer Service"),
    ("logistics", "Logistics"),
]


class FoodStaffQualification(models.Model):
    _name = "food.staff.qualification"
    _description = "Staff Training Record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_expiry desc, id desc"

    name = fields.Char(
        string="Training",
        required=True,
        tracking=True,
        help="Course or certificate, e.g. food-safety handler training.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Staff Member",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",
    )
    qualification_type = fields.Selection(
        QUALIFICATION_TYPES,
        string="Type",
        required=True,
        default="food_safety",
        index=True,
        tracking=True,
    )
    date_obtained = fields.Date(string="Obtained On", required=True, tracking=True)
    date_expiry = fields.Date(
        string="Valid Until", required=True, index=True, tracking=True
    )
    state = fields.Selection(
        [("valid", "Valid"), ("expiring", "Expiring Soon"), ("expired", "Expired")],
        string="Status",
        compute="_compute_state",
        search="_search_state",
    )
    reminder_sent = fields.Boolean(
        copy=False, help="The expiry reminder activity has been scheduled."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "dates_check",
            "CHECK (date_expiry >= date_obtained)",
            "A training record cannot expire before it was obtained.",
        ),
    ]

    @api.depends("date_expiry", "company_id.food_qualification_reminder_days")
    def _compute_state(self):
        for record in self:
            today, warning = record._get_expiry_limits(record.company_id)
            if not record.date_expiry or record.date_expiry < today:
                record.state = "expired"
            elif record.date_expiry <= warning:
                record.state = "expiring"
            else:
                record.state = "valid"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        values = {value} if isinstance(value, str) else set(value)
        domains = self._get_state_domains(self.env.company)
        domain = expression.OR(
            [domains[v] for v in values if v in domains] or [expression.FALSE_DOMAIN]
        )
        if operator in ("!=", "not in"):
            return ["!"] + domain
        return domain

    def write(self, vals):
        if "date_expiry" in vals:
            vals = dict(vals, reminder_sent=False)
        return super().write(vals)

    def _get_expiry_limits(self, company):
        """Today and the last day of ``company``'s reminder period."""
        today = fields.Date.context_today(self)
        return today, today + timedelta(days=company.food_qualification_reminder_days)

    def _get_state_domains(self, company):
        """Domain of the records in each state, for ``company``'s reminder period."""
        today, warning = self._get_expiry_limits(company)
        return {
            "expired": [("date_expiry", "<", today)],
            "expiring": [("date_expiry", ">=", today), ("date_expiry", "<=", warning)],
            "valid": [("date_expiry", ">", warning)],
        }

    @api.model
    def _get_qualified_users(self, users, on_date=None):
        """Users of ``users`` with a valid food-safety training on ``on_date``."""
        on_date = on_date or fields.Date.context_today(self)
        groups = self.sudo()._read_group(
            [
                ("user_id", "in", users.ids),
                ("qualification_type", "=", "food_safety"),
                ("date_obtained", "<=", on_date),
                ("date_expiry", ">=", on_date),
            ],
            ["user_id"],
        )
        return self.env["res.users"].browse(user.id for (user,) in groups)

    @api.model
    def _cron_remind_expiry(self):
        """Schedule a reminder for training records about to expire."""
        activity_type = self.env.ref(
            "food_order_center.mail_activity_type_qualification_expiry"
        )
        for company in self.env["res.company"].search([]):
            records = self.search(
                [
                    ("company_id", "=", company.id),
                    ("reminder_sent", "=", False),
                    ("user_id.active", "=", True),
                ]
                + self._get_state_domains(company)["expiring"]
            )
            for record in records:
                record.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=record.date_expiry,
                    user_id=record.user_id.id,
                    summary=self.env._("Renew your training before it expires"),
                )
            records.reminder_sent = True
