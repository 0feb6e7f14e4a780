# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

EXPERIENCE_LEVELS = [
    ("junior", "Junior"),
    ("experienced", "Experienced"),
    ("senior", "Senior"),
]
EXPERIENCE_RANK = {
    level: rank for rank, (level, _label) in enumerate(EXPERIENCE_LEVELS)
}


class FoodProcessor(models.Model):
    _name = "food.processor"
    _description = "Order Processor Profile"
    _order = "name, id"

    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="cascade",
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("food_order_center.group_order_processor").ids,
            )
        ],
    )
    name = fields.Char(related="user_id.name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    available = fields.Boolean(
        string="Available for Orders",
        default=True,
        help="Untick while the processor is away: no new order is assigned.",
    )
    experience_level = fields.Selection(
        EXPERIENCE_LEVELS,
        required=True,
        default="junior",
        help="Complex and special orders go only to processors of the level "
        "set in the settings, or above.",
    )
    capacity = fields.Integer(
        string="Capacity (lines)",
        default=40,
        help="Most order lines the processor handles at once: orders that "
        "would exceed it go to someone else.",
    )
    workload = fields.Integer(
        string="Workload (lines)",
        compute="_compute_workload",
        help="Lines of the processor's open orders.",
    )
    qualification_ids = fields.One2many(
        "food.staff.qualification",
        compute="_compute_qualification_ids",
        string="Training Records",
    )
    qualified = fields.Boolean(
        string="Food Safety Valid",
        compute="_compute_qualified",
        help="Has a valid food-safety training record today.",
    )
    team_rule_ids = fields.Many2many(
        "food.assignment.rule",
        "food_assignment_rule_processor_rel",
        "processor_id",
        "rule_id",
        string="Assignment Rules",
    )

    _sql_constraints = [
        (
            "user_company_uniq",
            "unique (user_id, company_id)",
            "A user has one processor profile per company.",
        ),
        ("capacity_positive", "CHECK (capacity > 0)", "The capacity must be positive."),
    ]

    def _compute_workload(self):
        workload = self._get_workloads()
        for processor in self:
            processor.workload = workload.get(processor.user_id.id, 0)

    def _compute_qualification_ids(self):
        records = self.env["food.staff.qualification"].search(
            [("user_id", "in", self.user_id.ids)]
        )
        for processor in self:
            processor.qualification_ids = records.filtered(
                lambda r, user=processor.user_id: r.user_id == user
            )

    def _compute_qualified(self):
        qualified = self.env["food.staff.qualification"]._get_qualified_users(
            self.user_id
        )
        for processor in self:
            processor.qualified = processor.user_id in qualified

    @api.constrains("user_id")
    def _check_user_id(self):
        group = self.env.ref("food_order_center.group_order_processor")
        for processor in self:
            if group not in processor.user_id.groups_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not have the Order Processor role.",
                        user=processor.user_id.name,
                    )
                )

    def _get_workloads(self):
        """Lines of the open orders of each processor: {user_id: lines}.
        One query whatever the number of orders."""
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("processor_id", "in", self.user_id.ids),
                    (
                        "order_center_stage",
                        "in",
                        self.env["sale.order"]._get_open_stages(),
                    ),
                ],
                ["processor_id"],
                ["food_line_count:sum"],
            )
        )
        return {user.id: lines for user, lines in groups}
