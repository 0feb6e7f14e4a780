# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .food_processor import EXPERIENCE_RANK


class FoodAssignmentRule(models.Model):
    _name = "food.assignment.rule"
    _description = "Order Assignment Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Orders shipped from this warehouse. Empty: any warehouse.",
    )
    category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Orders whose products all belong to these categories or their "
        "sub-categories. Empty: any product.",
    )
    processor_ids = fields.Many2many(
        "food.processor",
        "food_assignment_rule_processor_rel",
        "rule_id",
        "processor_id",
        string="Processing Team",
        check_company=True,
    )

    def _matches(self, order):
        self.ensure_one()
        if self.warehouse_id and self.warehouse_id != order.warehouse_id:
            return False
        if self.category_ids:
            paths = self.category_ids.mapped("parent_path")
            products = order.order_line.filtered(
                lambda line: not line.display_type
            ).product_id
            return all(
                any(product.categ_id.parent_path.startswith(path) for path in paths)
                for product in products
            )
        return True

    @api.model
    def _assign_orders(self, orders):
        """Give each order to the least loaded eligible processor of the first
        matching rule that has one. The cost does not depend on the number of
        open orders: workloads are one aggregate query.

        Eligible: active and available profile, a valid food-safety training
        on the day, room for the order's lines within the capacity, and the
        experience level complex orders need. Orders nobody can take stay
        unassigned and the managers are told. A company without any rule
        does not assign automatically.
        """
        # the rules apply whoever verified the order (receiver, API user)
        rules = self.sudo().search([("company_id", "in", orders.company_id.ids)])
        orders = orders.filtered(lambda o: o.company_id in rules.company_id)
        if not orders:
            return {}
        processors = rules.processor_ids.filtered(
            lambda p: p.active and p.available and p.user_id.active
        )
        qualified = self.env["food.staff.qualification"]._get_qualified_users(
            processors.user_id
        )
        processors = processors.filtered(lambda p: p.user_id in qualified)
        workloads = processors._get_workloads()
        assignments = {}
        unassigned = orders.browse()
        for order in orders:
            processor = self._find_processor(order, rules, processors, workloads)
            if processor:
                assignments.setdefault(processor.user_id, orders.browse())
                assignments[processor.user_id] |= order
                workloads[processor.user_id.id] = (
                    workloads.get(processor.user_id.id, 0) + order.food_line_count
                )
            else:
                unassigned |= order
        for user, user_orders in assignments.items():
            # automatic assignment: the rules decide, not the user who
            # verified the order (only managers assign by hand)
            user_orders.sudo().write({"processor_id": user.id})
        if unassigned:
            unassigned._notify_no_processor()
        return assignments

    @api.model
    def _find_processor(self, order, rules, processors, workloads):
        needed = order.company_id.food_complex_experience_level
        min_rank = (
            EXPERIENCE_RANK[needed] if order._is_complex_order() and needed else 0
        )
        for rule in rules:
            if rule.company_id != order.company_id or not rule._matches(order):
                continue
            candidates = [
                p
                for p in rule.processor_ids
                if p in processors
                and p.company_id == order.company_id
                and EXPERIENCE_RANK[p.experience_level] >= min_rank
                and workloads.get(p.user_id.id, 0) + order.food_line_count <= p.capacity
            ]
            if candidates:
                return min(
                    candidates, key=lambda p: (workloads.get(p.user_id.id, 0), p.id)
                )
        return None
