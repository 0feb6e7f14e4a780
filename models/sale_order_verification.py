# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, email_normalize
from odoo.tools.sql import create_index

from .food_order_problem import PROBLEM_TYPES

# changes that make the verification of an order-center quotation run again
VERIFICATION_TRIGGERS = {
    "partner_id",
    "partner_shipping_id",
    "order_line",
    "commitment_date",
    "pricelist_id",
    "intake_channel",
    "is_custom_order",
    "custom_requirements",
    "original_document_ids",
    "date_order",
}
VERIFICATION_RESULT_FIELDS = {
    "verification_state",
    "verification_date",
    "verification_override_reason",
    "clarification_start",
    "clarification_hours",
    "clarification_count",
    "phone_confirmed_date",
    "phone_confirmed_by_id",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    verification_state = fields.Selection(
        [
            ("to_verify", "To Verify"),
            ("needs_clarification", "Needs Clarification"),
            ("verified", "Verified"),
        ],
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
        help="Result of the verification of the order on entry: the customer, "
        "contact, address, products, quantities, prices and dates.",
    )
    verification_problem_ids = fields.One2many(
        "food.order.problem", "order_id", string="Verification Problems", readonly=True
    )
    verification_date = fields.Datetime(copy=False, readonly=True)
    verification_override_reason = fields.Text(
        string="Confirmed Without Verification Because",
        tracking=True,
        copy=False,
        readonly=True,
        help="Reason recorded by the order center manager who confirmed the "
        "order before it was verified.",
    )
    clarification_start = fields.Datetime(
        string="In Clarification Since", copy=False, readonly=True
    )
    clarification_hours = fields.Float(
        string="Time in Clarification (h)",
        copy=False,
        readonly=True,
        aggregator="sum",
        help="Total time the order spent waiting for the customer's clarification.",
    )
    clarification_count = fields.Integer(
        string="Clarifications", copy=False, readonly=True, aggregator="sum"
    )
    phone_confirmed_date = fields.Datetime(
        string="Read Back On", tracking=True, copy=False, readonly=True
    )
    phone_confirmed_by_id = fields.Many2one(
        "res.users", string="Read Back By", copy=False, readonly=True
    )

    def init(self):
        res = super().init()
        # the possible duplicates of an order are the orders of its customer
        # in a window of time (_find_possible_duplicates): found by both in
        # the index. The planner does not otherwise know how many orders the
        # last hours hold (newer than the statistics), and would read every
        # order of the window through the index on the date
        create_index(
            self.env.cr,
            "sale_order_food_partner_date_index",
            self._table,
            ["partner_id", "date_order"],
        )
        return res

    @api.model
    def _get_food_protected_fields(self):
        return super()._get_food_protected_fields() | VERIFICATION_RESULT_FIELDS

    @api.model
    def _get_food_check_triggers(self):
        return super()._get_food_check_triggers() | VERIFICATION_TRIGGERS

    def _run_verification(self):
        """Verify the order-center quotations of ``self`` and store the
        problems found and the resulting verification state."""
        orders = self.filtered(
            lambda o: o.intake_channel and o.state in ("draft", "sent") and o.id
        )
        if not orders:
            return
        now = fields.Datetime.now()
        duplicates = orders._find_possible_duplicates()
        problem_vals = []
        new_states = {}
        for order in orders:
            problems = order._get_verification_problems(duplicates.get(order.id))
            problem_vals += [dict(vals, order_id=order.id) for vals in problems]
            if any(vals["needs_customer"] for vals in problems):
                new_states[order] = "needs_clarification"
            elif problems or not order.order_line:
                new_states[order] = "to_verify"
            else:
                new_states[order] = "verified"
        # the problems of orders created in this transaction are in cache
        # (none): the intake reads none and deletes none
        orders.sudo().verification_problem_ids.unlink()
        self.env["food.order.problem"].sudo().create(problem_vals)
        for state in ("to_verify", "needs_clarification", "verified"):
            to_update = orders.filtered(
                lambda o, s=state: new_states[o] == s and o.verification_state != s
            )
            if not to_update:
                continue
            leaving = to_update.filtered(
                lambda o: o.verification_state == "needs_clarification"
            )
            leaving._end_clarification(now)
            vals = {"verification_state": state, "verification_date": now}
            if state == "needs_clarification":
                vals["clarification_start"] = now
            to_update._write_food_trusted(vals)
            if state == "needs_clarification":
                to_update._start_clarification()

    def _get_verification_problems(self, duplicate=None):
        """Return the problems of one order as values of food.order.problem
        (their message is written in the language of whoever reads it)."""
        self.ensure_one()
        problems = []

        def problem(code, line=None, **args):
            problems.append(
                {
                    "problem_type": code,
                    "needs_customer": PROBLEM_TYPES[code][1],
                    "line_id": line.id if line else False,
                    "args": args,
                    "sequence": len(problems),
                }
            )

        partner = self.partner_id
        shipping = self.partner_shipping_id or partner
        if not partner.name or partner.name.strip() in (
            partner.phone,
            partner.mobile,
            partner.email,
        ):
            problem("customer_name")
        if not self._has_reachable_contact(partner, shipping):
            problem(
                "contact", country_id=(shipping.country_id or partner.country_id).id
            )
        missing = shipping._get_missing_address_fields()
        if missing:
            problem("address", fields=missing)
        lines = self.order_line.filtered(lambda line: not line.display_type)
        if not lines:
            problem("no_lines")
        tolerance = self.company_id.food_price_tolerance
        for line in lines:
            reason = line._get_quantity_problem()
            if reason:
                problem("quantity", line, reason=reason)
            list_price = line._get_order_center_list_price()
            if (
                list_price
                and abs(line.price_unit - list_price)
                > abs(list_price) * tolerance / 100
            ):
                problem(
                    "price",
                    line,
                    price=line.price_unit,
                    list_price=list_price,
                    tolerance=tolerance,
                )
        if self.commitment_date and self.commitment_date < fields.Datetime.now():
            problem("date_past")
        if duplicate:
            problem("duplicate", order=duplicate.name)
        if self.is_custom_order and not (self.custom_requirements or "").strip():
            problem("custom")
        if self.intake_channel == "fax" and not self._has_valid_fax_scan():
            problem("fax_original")
        if self.intake_channel == "phone" and not self.phone_confirmed_date:
            problem("phone_readback")
        return problems

    def _has_reachable_contact(self, partner, shipping):
        contacts = shipping | partner
        # a valid e-mail is enough, and cheaper to check than a number
        if any(email_normalize(contact.email or "") for contact in contacts):
            return True
        for contact in contacts:
            country = (
                contact.country_id or partner.country_id or self.company_id.country_id
            )
            for number in (contact.phone, contact.mobile):
                if number and contact._phone_format_number(number, country):
                    return True
        return False

    def _find_possible_duplicates(self):
        """Map order id -> an earlier order of the same customer with the same
        products within the configured window (one query for all orders)."""
        result = {}
        # a replacement sent for a return repeats its order on purpose
        orders = self.filtered(
            lambda o: o.order_line and o.date_order and o.intake_channel != "exchange"
        )
        if not orders:
            return result
        hours = max(orders.company_id.mapped("food_duplicate_window_hours") or [0])
        if not hours:
            return result
        window = timedelta(hours=hours)
        # the contacts of the customers first: searched by their ids, the
        # orders are found by customer (indexed), not among every order of
        # the window, which PostgreSQL would scan otherwise. Only their ids
        # are used, to find the orders the user may read
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    (
                        "commercial_partner_id",
                        "in",
                        orders.partner_id.commercial_partner_id.ids,
                    )
                ]
            )
        )
        # the other orders of the customers in the window, with the two
        # fields compared: no order or line is read whole
        others = self.search_fetch(
            [
                ("id", "not in", orders.ids),
                ("state", "!=", "cancel"),
                ("intake_channel", "!=", "exchange"),
                ("partner_id", "in", contacts.ids),
                ("date_order", ">=", min(orders.mapped("date_order")) - window),
                ("date_order", "<=", max(orders.mapped("date_order")) + window),
            ],
            ["partner_id", "date_order"],
        )
        candidates = others | orders
        products = {order.id: set() for order in candidates}
        # their products, the lines of each order found by the index on
        # order_id: a condition "order_id IN (...)" on the lines lets
        # PostgreSQL scan all of them instead (a customer with many orders
        # in the window, a table of a few thousand lines). These orders are
        # readable by the user (searched above), their lines with them
        self.env["sale.order.line"].flush_model(["order_id", "product_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT o.id, ARRAY(
                    SELECT l.product_id
                      FROM sale_order_line l
                     WHERE l.order_id = o.id AND l.product_id IS NOT NULL
                )
                  FROM unnest(%s::int[]) AS o(id)
                """,
                candidates.ids,
            )
        )
        for order_id, product_ids in self.env.cr.fetchall():
            products[order_id].update(product_ids)

        def key(order):
            return (
                order.partner_id.commercial_partner_id.id,
                frozenset(products[order.id]),
            )

        by_key = defaultdict(list)
        for order in candidates.sorted("id"):
            by_key[key(order)].append(order)
        for order in orders:
            window_order = timedelta(hours=order.company_id.food_duplicate_window_hours)
            # only an earlier order makes a later one a possible duplicate
            twins = [
                twin
                for twin in by_key[key(order)]
                if twin.id < order.id
                and abs(twin.date_order - order.date_order) <= window_order
            ]
            if twins:
                result[order.id] = twins[0]
        return result

    def action_verify(self):
        """Verify again (after corrections made outside the order)."""
        self._run_order_center_checks()
        return True

    def _start_clarification(self):
        for order in self:
            order._write_food_trusted(
                {"clarification_count": order.clarification_count + 1}
            )
        now = fields.Datetime.now()
        # closed when the order passes verification again
        self._create_notices(
            "food_order_center.mail_activity_type_clarification",
            False,
            {order: order._get_problems_html(customer_only=True) for order in self},
            {order: order._get_clarification_users() for order in self},
            deadlines={
                order: fields.Date.context_today(
                    order,
                    now + timedelta(hours=order.company_id.food_clarification_hours),
                )
                for order in self
            },
        )

    def _get_clarification_users(self):
        """Who clarifies the order with the customer: its salesperson when a
        receiver, else (orders of integrations) the company's receivers."""
        self.ensure_one()
        receivers = self.env.ref("food_order_center.group_order_receiver").users
        if self.user_id in receivers:
            return self.user_id
        managers = self.env.ref("food_order_center.group_order_center_manager").users
        staff = (receivers - managers) or managers
        return staff.filtered_domain(
            [
                ("active", "=", True),
                ("share", "=", False),
                ("company_ids", "in", self.company_id.ids),
            ]
        )

    def _end_clarification(self, now):
        for order in self:
            if order.clarification_start:
                spent = (now - order.clarification_start).total_seconds() / 3600
                order._write_food_trusted(
                    {
                        "clarification_hours": order.clarification_hours + spent,
                        "clarification_start": False,
                    }
                )
        self.activity_feedback(
            ["food_order_center.mail_activity_type_clarification"],
            feedback=self.env._("Clarified: the order passed verification again."),
        )

    def _get_problems_html(self, customer_only=False):
        self.ensure_one()
        problems = self.verification_problem_ids
        if customer_only:
            problems = problems.filtered("needs_customer")
        return Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>") % problem.name for problem in problems
        )

    def action_send_clarification_request(self):
        """Open the e-mail to the customer listing what must be confirmed."""
        self.ensure_one()
        if self.verification_state != "needs_clarification":
            raise UserError(self.env._("This order does not need any clarification."))
        template = self.env.ref("food_order_center.mail_template_order_clarification")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def _confirmation_error_message(self):
        """Order-center quotations are confirmed by receivers, once verified
        (or by the manager's override, see action_confirm_unverified)."""
        error = super()._confirmation_error_message()
        if error or not self.intake_channel:
            return error
        if not self._get_food_allowed("confirm"):
            return self.env._(
                "Only order receivers confirm orders (%(order)s).",
                order=self.display_name,
            )
        if (
            self.verification_state != "verified"
            and not self.verification_override_reason
        ):
            return self.env._(
                "Order %(order)s is not verified and cannot be confirmed. Clear "
                "its verification problems, or ask the order center manager to "
                "confirm it with a reason.",
                order=self.display_name,
            )
        return False

    def action_confirm_unverified(self, reason):
        """Manager override: confirm orders that are not verified, recording why."""
        if not self.env.user.has_group("food_order_center.group_order_center_manager"):
            raise AccessError(
                self.env._(
                    "Only the order center manager can confirm an order that "
                    "is not verified."
                )
            )
        if not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason for confirming without verification.")
            )
        for order in self:
            order._write_food_trusted({"verification_override_reason": reason.strip()})
            order.message_post(
                body=self.env._(
                    "Confirmed without verification by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason.strip(),
                )
            )
        return self.action_confirm()

    def action_record_phone_confirmation(self):
        """The receiver read the order back and the customer confirmed it (R3)."""
        if not self.env.user.has_group("food_order_center.group_order_receiver"):
            raise AccessError(
                self.env._("Only order receivers record the customer's confirmation.")
            )
        for order in self.filtered(lambda o: o.intake_channel == "phone"):
            order._write_food_trusted(
                {
                    "phone_confirmed_date": fields.Datetime.now(),
                    "phone_confirmed_by_id": self.env.user.id,
                }
            )
            order.message_post(
                body=self.env._(
                    "Order read back to the customer on the phone and confirmed "
                    "by the customer (recorded by %(user)s).",
                    user=self.env.user.name,
                )
            )
        self._run_order_center_checks()
        return True
