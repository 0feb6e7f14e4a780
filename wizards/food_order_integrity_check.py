# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

PROBLEM_KINDS = [
    ("chain", "Chain Broken"),
    ("content", "Content Changed"),
]


class FoodOrderIntegrityCheck(models.TransientModel):
    """The integrity check of the confirmed orders, on screen: how many
    seals and orders were checked, and which orders no longer match."""

    _name = "food.order.integrity.check"
    _description = "Order Center: integrity check of the confirmed orders"

    checked_date = fields.Datetime(string="Checked On", readonly=True)
    seal_count = fields.Integer(string="Seals Checked", readonly=True)
    order_count = fields.Integer(string="Orders Checked", readonly=True)
    problem_count = fields.Integer(string="Problems", readonly=True)
    line_ids = fields.One2many(
        "food.order.integrity.check.line",
        "check_id",
        string="Orders That No Longer Match",
        readonly=True,
    )

    def action_check(self):
        self.ensure_one()
        result = self.env["food.order.seal"].check_integrity()
        self.line_ids.unlink()
        self.write(
            {
                "checked_date": fields.Datetime.now(),
                "seal_count": result["seals"],
                "order_count": result["orders"],
                "problem_count": len(result["problems"]),
                "line_ids": [
                    fields.Command.create(
                        {
                            "order_ref": problem["order"],
                            "order_id": self.env["sale.order"]
                            .browse(problem["order_id"])
                            .exists()
                            .id,
                            "kind": problem["kind"],
                            "detail": problem["detail"],
                        }
                    )
                    for problem in result["problems"]
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }


class FoodOrderIntegrityCheckLine(models.TransientModel):
    _name = "food.order.integrity.check.line"
    _description = "Order Center: an order that no longer matches its seal"

    check_id = fields.Many2one(
        "food.order.integrity.check", required=True, ondelete="cascade"
    )
    order_id = fields.Many2one("sale.order", readonly=True)
    order_ref = fields.Char(string="Order Reference", readonly=True)
    kind = fields.Selection(PROBLEM_KINDS, string="Problem", readonly=True)
    detail = fields.Char(readonly=True)
