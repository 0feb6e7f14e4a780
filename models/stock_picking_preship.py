# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_round

PRESHIP_STATES = [
    ("to_check", "To Check"),
    ("passed", "Passed"),
    ("failed", "Failed"),
]


class StockPicking(models.Model):
    """Pre-shipment check (R15) of the transfers that ship an order-center
    order, and of the pack step of multi-step deliveries."""

    _name = "stock.picking"
    _inherit = ["stock.picking", "food.guarded.mixin"]

    food_preship_required = fields.Boolean(
        string="Pre-shipment Check Required",
        compute="_compute_food_preship_required",
        store=True,
        index=True,
        help="This transfer ships (or packs) an order-center order: it is "
        "validated only after its pre-shipment check passed.",
    )
    # not required (no NOT NULL column): transfers created while the
    # registry lacks this addon (other modules' install tests) stay valid;
    # only "passed" lets the goods ship
    food_preship_state = fields.Selection(
        PRESHIP_STATES,
        string="Pre-shipment Check",
        default="to_check",
        copy=False,
        index=True,
        tracking=True,
    )
    food_preship_result = fields.Text(
        string="Check Findings", copy=False, readonly=True
    )
    food_preship_checked_by_id = fields.Many2one(
        "res.users", string="Checked By", copy=False, readonly=True
    )
    food_preship_checked_date = fields.Datetime(
        string="Checked On", copy=False, readonly=True
    )
    food_preship_signature = fields.Char(
        copy=False,
        readonly=True,
        help="Fingerprint of the goods, lots and packages at the last check: "
        "a change after the check requires a new one.",
    )
    food_can_preship = fields.Boolean(
        compute="_compute_food_can_preship",
        help="The current user may run the pre-shipment check of this transfer.",
    )

    @api.depends(
        "picking_type_id.warehouse_id.pack_type_id",
        "picking_type_code",
        "sale_id.intake_channel",
    )
    def _compute_food_preship_required(self):
        # the order's channel only: whoever reads the transfer may not read
        # the order
        required = self.sudo()._filter_food_preship_required()
        for picking in self:
            picking.food_preship_required = picking in required

    @api.depends_context("uid")
    @api.depends("sale_id", "state")
    def _compute_food_can_preship(self):
        allowed = self._get_food_preship_allowed()
        for picking in self:
            picking.food_can_preship = (
                picking.food_preship_required
                and picking.state not in ("draft", "done", "cancel")
                and picking in allowed
            )

    @api.model
    def _get_food_protected_fields(self):
        # written by the check only
        return super()._get_food_protected_fields() | {
            "food_preship_required",
            "food_preship_state",
            "food_preship_result",
            "food_preship_checked_by_id",
            "food_preship_checked_date",
            "food_preship_signature",
        }

    # one guard for every protected field of stock.picking (pre-shipment
    # check, hand-over, transport status): _get_food_protected_fields adds up
    @api.model_create_multi
    def create(self, vals_list):
        self._check_food_protected_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_food_protected_fields([vals])
        return super().write(vals)

    def button_validate(self):
        # the role and quality holds first (clearer refusals), then the check
        self._check_can_ship()
        self._check_quality_hold()
        self._check_food_preship()
        return super().button_validate()

    def action_food_preship_check(self):
        """Processor: check the goods of the transfers before they ship (R15)
        and record the result; a failed check opens an exception on the
        order. Callable over RPC."""
        if not self:
            raise UserError(self.env._("Give the transfers to check."))
        self._check_food_preship_allowed()
        not_required = self.filtered(
            lambda p: (
                not p.food_preship_required or p.state in ("draft", "done", "cancel")
            )
        )
        if not_required:
            raise UserError(
                self.env._(
                    "Only the open deliveries (and pack steps) of order-center "
                    "orders get a pre-shipment check: %(pickings)s",
                    pickings=", ".join(not_required.mapped("name")),
                )
            )
        now = fields.Datetime.now()
        findings = self._get_food_preship_findings()
        for picking in self:
            problems = findings[picking]
            picking._write_food_trusted(
                {
                    "food_preship_state": "failed" if problems else "passed",
                    "food_preship_result": "\n".join(problems) or False,
                    "food_preship_checked_by_id": self.env.user.id,
                    "food_preship_checked_date": now,
                    "food_preship_signature": picking._get_food_preship_signature(),
                }
            )
            if problems:
                body = Markup("%s<ul>%s</ul>") % (
                    self.env._("Pre-shipment check failed:"),
                    Markup().join(Markup("<li>%s</li>") % text for text in problems),
                )
            else:
                body = self.env._("Pre-shipment check passed.")
            picking.message_post(body=body, subtype_xmlid="mail.mt_note")
        self._update_food_preship_exceptions()
        failed = self.filtered(lambda p: p.food_preship_state == "failed")
        if failed:
            message = "\n".join(
                f"{picking.name}: {picking.food_preship_result}" for picking in failed
            )
        else:
            message = self.env._("The goods can ship.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Pre-shipment check failed")
                if failed
                else self.env._("Pre-shipment check passed"),
                "message": message,
                "type": "warning" if failed else "success",
                "sticky": bool(failed),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Who checks
    # ------------------------------------------------------------------

    @api.model
    def _get_food_preship_scope(self):
        """Processors check and pack their own orders, the manager any; the
        other roles only read (the rule lives with the others, in
        sale.order._get_food_scope)."""
        return self.env["sale.order"]._get_food_scope("preship")

    def _get_food_preship_allowed(self):
        scope = self._get_food_preship_scope()
        if scope == "all":
            return self
        if scope == "own":
            # the orders' processors, whoever may read the orders
            return self.filtered(
                lambda p: p.sudo().sale_id.processor_id == self.env.user
            )
        return self.browse()

    def _check_food_preship_allowed(self):
        denied = self - self._get_food_preship_allowed()
        if denied:
            raise AccessError(
                self.env._(
                    "Only the order's processor (or the order center manager) "
                    "runs the pre-shipment check. Transfers: %(pickings)s",
                    pickings=", ".join(denied.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------

    def _filter_food_preship_required(self):
        """The transfers that ship an order-center order, and the pack steps
        of its multi-step deliveries."""
        return self.filtered(
            lambda p: (
                p.sale_id.intake_channel
                and (
                    p.picking_type_code == "outgoing"
                    or p.picking_type_id == p.picking_type_id.warehouse_id.pack_type_id
                )
            )
        )

    def _check_food_preship(self):
        """Validation gate: the transfers that need a pre-shipment check are
        validated only once it passed on the goods as they are now."""
        pending = self.filtered(
            lambda p: (
                p.food_preship_required
                and p.state not in ("done", "cancel")
                and (
                    p.food_preship_state != "passed"
                    or p.food_preship_signature != p._get_food_preship_signature()
                )
            )
        )
        if pending:
            raise UserError(
                self.env._(
                    "These transfers need a passed pre-shipment check of their "
                    "goods as they are now before they are validated: "
                    "%(pickings)s",
                    pickings=", ".join(pending.mapped("name")),
                )
            )

    def _get_food_preship_moves(self):
        """The moves whose goods leave with the transfer: the picked ones,
        or all of them when none is marked picked (as validation does)."""
        self.ensure_one()
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        picked = moves.filtered("picked")
        return picked or moves

    def _get_food_preship_signature(self):
        """Fingerprint of what ships: products, lots, quantities, packages
        (type and fragile protection)."""
        self.ensure_one()
        items = sorted(
            (
                ml.move_id.id,
                ml.product_id.id,
                ml.lot_id.id,
                float_round(ml.quantity, precision_rounding=ml.product_uom_id.rounding),
                (ml.result_package_id or ml.package_id).id,
                (ml.result_package_id or ml.package_id).package_type_id.id,
                (ml.result_package_id or ml.package_id).food_fragile_protected,
            )
            for ml in self._get_food_preship_moves().move_line_ids
        )
        return hashlib.sha256(repr(items).encode()).hexdigest()

    def _get_food_preship_findings(self):
        """What fails the check, per transfer: a list of sentences."""
        # the user's right to check the transfers was verified on their
        # orders; the order lines, exceptions and lots are read as facts
        pickings = self.sudo()
        orders = pickings.sale_id
        agreed = defaultdict(set)
        for exception in orders.food_exception_ids:
            if (
                exception.exception_type == "stock_out"
                and exception.customer_option == "split"
            ):
                agreed[exception.order_id].add(exception.product_id)
        return {
            picking.with_env(self.env): picking._get_food_preship_problems(
                agreed[picking.sale_id]
            )
            for picking in pickings
        }

    def _get_food_preship_problems(self, agreed_products):
        self.ensure_one()
        return (
            self._get_food_preship_quantity_problems(agreed_products)
            + self._get_food_preship_lot_problems()
            + self._get_food_preship_package_problems()
        )

    def _get_food_preship_quantity_problems(self, agreed_products):
        """What is picked equals what the order still asks for, per product;
        less only where the customer agreed to a backorder."""
        self.ensure_one()
        _ = self.env._
        asked = defaultdict(float)
        for line in self.sale_id.order_line:
            product = line.product_id
            if line.display_type or product.type != "consu":
                continue
            remaining = line.product_uom_qty - line.qty_delivered
            asked[product] += line.product_uom._compute_quantity(
                remaining, product.uom_id
            )
        picked = defaultdict(float)
        lots = defaultdict(list)
        for move in self._get_food_preship_moves():
            product = move.product_id
            picked[product] += move.product_uom._compute_quantity(
                move.quantity, product.uom_id
            )
            for ml in move.move_line_ids.filtered("lot_id"):
                lots[product].append(
                    f"{ml.lot_id.name} ({ml.quantity:g} {ml.product_uom_id.name})"
                )
        problems = []
        for product in sorted(asked.keys() | picked.keys(), key=lambda p: p.id):
            if not asked.get(product) and not picked.get(product):
                continue
            comparison = float_compare(
                picked[product],
                asked[product],
                precision_rounding=product.uom_id.rounding,
            )
            if comparison == 0:
                continue
            if comparison < 0 and product in agreed_products:
                continue
            values = {
                "product": product.display_name,
                "picked": f"{picked[product]:g}",
                "asked": f"{asked[product]:g}",
                "uom": product.uom_id.name,
            }
            if comparison < 0:
                problem = _(
                    "%(product)s: %(picked)s %(uom)s picked, the order asks for "
                    "%(asked)s and the customer agreed to no backorder.",
                    **values,
                )
            else:
                problem = _(
                    "%(product)s: %(picked)s %(uom)s picked, more than the "
                    "%(asked)s the order asks for.",
                    **values,
                )
            if lots[product]:
                problem = _(
                    "%(problem)s Lots: %(lots)s.",
                    problem=problem,
                    lots=", ".join(lots[product]),
                )
            problems.append(problem)
        return problems

    def _get_food_preship_delivery_date(self):
        """The delivery date the customer asked for."""
        self.ensure_one()
        order = self.sale_id
        return (
            order.commitment_date
            or order.expected_date
            or self.date_deadline
            or self.scheduled_date
        )

    def _get_food_preship_lot_problems(self):
        """No lot on hold; each lot keeps the category's minimum shelf life
        on the requested delivery date."""
        self.ensure_one()
        _ = self.env._
        problems = []
        delivery_date = self._get_food_preship_delivery_date()
        move_lines = self._get_food_preship_moves().move_line_ids
        for lot in move_lines.lot_id:
            if lot.food_quality_hold:
                problems.append(
                    _(
                        "Lot %(lot)s of %(product)s is on quality hold.",
                        lot=lot.name,
                        product=lot.product_id.display_name,
                    )
                )
            expiry = lot.expiration_date or lot.use_date
            if not expiry or not delivery_date:
                continue
            days = lot.product_id.categ_id.food_min_shelf_life_days
            if expiry < delivery_date + timedelta(days=days):
                problems.append(
                    _(
                        "Lot %(lot)s of %(product)s expires on %(expiry)s: less "
                        "than the %(days)s days of shelf life required on the "
                        "delivery date %(date)s.",
                        lot=lot.name,
                        product=lot.product_id.display_name,
                        expiry=fields.Date.to_string(expiry.date()),
                        days=days,
                        date=fields.Date.to_string(delivery_date.date()),
                    )
                )
        return problems

    def _get_food_preship_package_problems(self):
        """Packages suited to the storage condition of the food, fragile food
        in protected packages."""
        self.ensure_one()
        _ = self.env._
        conditions = dict(
            self.env["product.category"]
            ._fields["food_storage_condition"]
            ._description_selection(self.env)
        )
        problems = []
        for ml in self._get_food_preship_moves().move_line_ids:
            product = ml.product_id
            package = ml.result_package_id or ml.package_id
            category = product.categ_id
            allowed = category.food_package_type_ids
            if allowed and package.package_type_id not in allowed:
                problems.append(
                    _(
                        "%(product)s (%(condition)s) is in %(package)s: it "
                        "ships only in %(types)s.",
                        product=product.display_name,
                        condition=conditions.get(
                            category.food_storage_condition, category.display_name
                        ),
                        package=package.name
                        and _(
                            "package %(name)s (%(type)s)",
                            name=package.name,
                            type=package.package_type_id.name or _("no type"),
                        )
                        or _("no package"),
                        types=", ".join(allowed.mapped("name")),
                    )
                )
            if product.is_fragile and not package.food_fragile_protected:
                if package:
                    problem = _(
                        "%(product)s is fragile food: package %(package)s is "
                        "not marked as protected.",
                        product=product.display_name,
                        package=package.name,
                    )
                else:
                    problem = _(
                        "%(product)s is fragile food: pack it in a package "
                        "marked as protected.",
                        product=product.display_name,
                    )
                problems.append(problem)
        # one sentence per problem, whatever the number of move lines
        return list(dict.fromkeys(problems))

    def _update_food_preship_exceptions(self):
        """A failed check opens (or updates) the order's pre-shipment
        exception; a passed check resolves it once no open transfer of the
        order failed its check."""
        Exception_ = self.env["food.order.exception"].sudo()
        orders = self.sudo().sale_id
        # exceptions are recorded by the order center's actions only
        open_exceptions = Exception_.search(
            [
                ("order_id", "in", orders.ids),
                ("exception_type", "=", "preship"),
                ("state", "=", "open"),
            ]
        )
        for order in orders:
            pickings = order.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            failed = pickings.filtered(lambda p: p.food_preship_state == "failed")
            current = open_exceptions.filtered(lambda e, o=order: e.order_id == o)
            if failed:
                reason = "\n".join(
                    f"{picking.name}: {picking.food_preship_result}"
                    for picking in failed
                )
                if current:
                    current.write({"reason": reason})
                else:
                    Exception_.create(
                        {
                            "order_id": order.id,
                            "exception_type": "preship",
                            "reason": reason,
                        }
                    )
                order.message_post(
                    body=self.env._(
                        "Pre-shipment check failed (%(user)s): %(reason)s",
                        user=self.env.user.name,
                        reason=reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            elif current:
                current.write(
                    {
                        "state": "resolved",
                        "resolved_by_id": self.env.user.id,
                        "resolved_date": fields.Datetime.now(),
                    }
                )
                order.message_post(
                    body=self.env._(
                        "Pre-shipment check passed (%(user)s): the exception "
                        "is resolved.",
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
