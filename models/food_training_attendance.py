# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class FoodTrainingAttendance(models.Model):
    """One invited staff member of a training session, and whether they
    attended it (and their test score, if any)."""

    _name = "food.training.attendance"
    _description = "Training Session Attendance"
    _order = "session_id, id"
    _rec_name = "user_id"

    _sql_constraints = [
        (
            "session_user_uniq",
            "unique (session_id, user_id)",
            "A staff member is listed once per training session.",
        ),
        (
            "score_range",
            "CHECK (score IS NULL OR (score >= 0 AND score <= 100))",
            "The score is between 0 and 100.",
        ),
    ]

    session_id = fields.Many2one(
        "food.training.session",
        required=True,
        index=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Staff Member",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
    )
    attended = fields.Boolean(
        copy=False,
        help="Ticked attendees get their training record of the session's "
        "topic renewed when the attendance is recorded.",
    )
    # personal: the managers' only
    score = fields.Float(
        string="Score (%)",
        copy=False,
        groups="food_order_center.group_order_center_manager",
        help="Result of the final test, if any.",
    )
    note = fields.Char(groups="food_order_center.group_order_center_manager")
    company_id = fields.Many2one(
        related="session_id.company_id", store=True, index=True, precompute=True
    )
    session_state = fields.Selection(related="session_id.state", string="Status")

    @api.model_create_multi
    def create(self, vals_list):
        sessions = self.env["food.training.session"].browse(
            {vals["session_id"] for vals in vals_list if vals.get("session_id")}
        )
        sessions._check_food_not_done()
        return super().create(vals_list)

    def write(self, vals):
        self.session_id._check_food_not_done()
        if vals.get("session_id"):
            self.session_id.browse(vals["session_id"])._check_food_not_done()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self.session_id._check_food_not_done()
