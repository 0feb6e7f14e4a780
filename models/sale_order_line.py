# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

STOCK_STATUSES = [
    ("available", "Available"),
    ("partial", "Partially Available"),
    ("shortage", "Shortage"),
]

# changes of a line that make its order's checks run again
LINE_CHECK_TRIGGERS = {"product_id", "product_uom_qty", "product_uom", "price_unit"}

# set by the stock check only
STOCK_LINE_FIELDS = {
    "stock_status",
    "stock_entry_status",
    "stock_available_qty",
    "stock_forecast_qty",
    "stock_restock_date",
}


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "food.guarded.mixin"]

    stock_status = fields.Selection(
        STOCK_STATUSES,
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Result of the last stock check: free stock of the order's "
        "warehouse that is not past its removal date on delivery.",
    )
    stock_entry_status = fields.Selection(
        STOCK_STATUSES,
        string="Stock Status at Entry",
        readonly=True,
        copy=False,
        help="Result of the first stock check, when the order was entered.",
    )
    stock_available_qty = fields.Float(
        string="Free Stock",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Free quantity (product unit) that can be delivered on the "
        "requested date: reserved, expiring and held lots are left out.",
    )
    stock_forecast_qty = fields.Float(
        string="Forecast at Delivery",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Free stock plus the receipts expected by the requested date.",
    )
    stock_restock_date = fields.Date(
        string="Expected Restock",
        readonly=True,
        copy=False,
        help="Next receipt of the product, else today plus the supplier lead time.",
    )

    @api.model
    def _get_food_protected_fields(self):
        return super()._get_food_protected_fields() | STOCK_LINE_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_food_trusted():
            self._check_food_protected_fields(vals_list)
        lines = super().create(vals_list)
        if not self._is_food_trusted():
            lines.order_id._check_food_allowed("edit")
        lines._run_order_checks()
        return lines

    def write(self, vals):
        if not self._is_food_trusted():
            self._check_food_protected_fields([vals])
            self.order_id._check_food_allowed("edit")
        res = super().write(vals)
        if LINE_CHECK_TRIGGERS & set(vals):
            self._run_order_checks()
        return res

    def unlink(self):
        orders = self.order_id
        if not self._is_food_trusted():
            orders._check_food_allowed("edit")
        res = super().unlink()
        if not self._are_food_checks_deferred():
            orders.exists()._run_order_center_checks()
        return res

    def _compute_analytic_distribution(self):
        # Odoo searches the analytic distribution models once per product
        # line (and again when the order's customer is set): an order of 3
        # lines costs 6 queries. With no distribution model the user can see
        # (the usual case of an order center), none would be found: the
        # lines keep their distribution, as they would, after a single query,
        # and none for notes and sections alone (Odoo skips them too).
        product_lines = self.filtered(lambda line: not line.display_type)
        distribution_models = self.env["account.analytic.distribution.model"]
        if product_lines and distribution_models.search_count([], limit=1):
            return super()._compute_analytic_distribution()
        for line in self:
            line.analytic_distribution = line.analytic_distribution

    def _run_order_checks(self):
        # lines changed through their order are checked once, by the order
        if not self._are_food_checks_deferred():
            self.order_id._run_order_center_checks()

    def _get_quantity_problem(self):
        """Why the quantity of the line is wrong ("not_positive", "uom",
        "fraction"), or False."""
        self.ensure_one()
        product, uom, qty = self.product_id, self.product_uom, self.product_uom_qty
        if float_compare(qty, 0, precision_rounding=uom.rounding or 0.01) <= 0:
            return "not_positive"
        if uom and product.uom_id and uom.category_id != product.uom_id.category_id:
            return "uom"
        # cached id: no existence query per line (env.ref checks it)
        unit_category_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "uom.product_uom_categ_unit", raise_if_not_found=False
        )
        if uom.category_id.id == unit_category_id and float_compare(
            qty, float_round(qty, precision_digits=0), precision_digits=6
        ):
            return "fraction"
        return False

    def _get_order_center_list_price(self):
        """Unit price the price list gives the line (0 when not applicable)."""
        self.ensure_one()
        product = self.product_id
        if not product or self.display_type:
            return 0.0
        if self.order_id.pricelist_id:
            return self._get_pricelist_price()
        return product.uom_id._compute_price(product.lst_price, self.product_uom)

    # ------------------------------------------------------------------
    # Stock check (R8)
    # ------------------------------------------------------------------

    def _get_stock_checked_lines(self):
        return self.filtered(
            lambda line: (
                not line.display_type
                and line.product_id.is_storable
                and line.state != "cancel"
            )
        )

    def _run_stock_check(self):
        """Check the lines against the stock of their order's warehouse.

        The whole recordset is checked with a constant number of queries:
        free stock by removal date and incoming receipts for all products
        and warehouses at once. Lines of one order asking for the same
        product share its free stock, in line order.

        :return: the lines whose status changed
        """
        lines = self._get_stock_checked_lines()
        if not lines:
            return self.browse()
        products = lines.product_id
        warehouses = lines.order_id.warehouse_id
        stock = products._get_food_stock(warehouses)
        receipts = products._get_food_receipts(warehouses)
        own_reserved = lines._get_own_reserved_quantities()
        today = fields.Date.context_today(self)
        changed = self.browse()
        to_write = defaultdict(lambda: self.browse())
        used = defaultdict(float)
        for line in lines.sorted(
            lambda line: (line.order_id.id, line.sequence, line.id)
        ):
            order = line.order_id
            product = line.product_id
            key = (product.id, order.warehouse_id.id)
            delivery = order._get_stock_check_date()
            need = line.product_uom._compute_quantity(
                line._get_undelivered_qty(), product.uom_id
            )
            usable = (
                product._food_usable_qty(stock[key], delivery)
                + own_reserved[(order.id, product.id)]
                - used[(order.id, key)]
            )
            used[(order.id, key)] += need
            incoming = receipts[key]
            forecast = usable + sum(qty for day, qty in incoming if day <= delivery)
            rounding = product.uom_id.rounding
            if float_compare(usable, need, precision_rounding=rounding) >= 0:
                status = "available"
            elif float_compare(usable, 0, precision_rounding=rounding) > 0:
                status = "partial"
            else:
                status = "shortage"
            restock = False
            if status != "available":
                if incoming:
                    restock = max(incoming[0][0], today)
                else:
                    delay = product._get_food_supplier_delay(order.company_id)
                    if delay is not None:
                        restock = fields.Date.add(today, days=delay)
            vals = {
                "stock_status": status,
                "stock_available_qty": max(usable, 0.0),
                "stock_forecast_qty": max(forecast, 0.0),
                "stock_restock_date": restock,
            }
            if not line.stock_entry_status:
                vals["stock_entry_status"] = status
            if line.stock_status != status:
                changed |= line
            to_write[tuple(sorted(vals.items()))] |= line
        for vals, same_lines in to_write.items():
            # stock results are written by the check only, whoever ran it
            # (a receiver's correction, an inventory manager's re-check)
            same_lines.sudo()._write_food_trusted(dict(vals))
        return changed

    def _get_undelivered_qty(self):
        """Quantity still to deliver, in the line's unit."""
        self.ensure_one()
        return max(self.product_uom_qty - self.qty_delivered, 0.0)

    def _get_own_reserved_quantities(self):
        """Stock already reserved for the lines' own orders, which the free
        stock no longer shows: {(order_id, product_id): qty in product unit}."""
        reserved = defaultdict(float)
        # quotations have no transfers yet
        confirmed = self.order_id.filtered(lambda o: o.state == "sale")
        if not confirmed:
            return reserved
        # quantities only, whatever the user's inventory rights
        moves = confirmed.sudo().picking_ids.move_ids.filtered(
            lambda m: (
                m.state not in ("done", "cancel") and m.location_id.usage == "internal"
            )
        )
        for move in moves:
            reserved[(move.picking_id.sale_id.id, move.product_id.id)] += (
                move.product_uom._compute_quantity(
                    move.quantity, move.product_id.uom_id
                )
            )
        return reserved

    # ------------------------------------------------------------------
    # Stock-out (R11)
    # ------------------------------------------------------------------

    def _get_substitute_products(self, limit=5):
        """Products that can replace the line's product: same category, on
        sale, enough free stock in the warehouse that is not past its
        removal date on delivery, price close to the product's (company's
        substitute price tolerance). Closest price first.

        :return: list of dicts {product, free_qty, price, price_gap}
        """
        self.ensure_one()
        product = self.product_id
        order = self.order_id
        if not product:
            return []
        candidates = self.env["product.product"].search(
            [
                ("categ_id", "=", product.categ_id.id),
                ("id", "!=", product.id),
                ("sale_ok", "=", True),
                ("is_storable", "=", True),
                ("company_id", "in", (False, order.company_id.id)),
            ]
        )
        if not candidates:
            return []
        warehouse = order.warehouse_id
        stock = candidates._get_food_stock(warehouse)
        delivery = order._get_stock_check_date()
        need = self.product_uom._compute_quantity(
            self._get_undelivered_qty(), product.uom_id
        )
        reference = product.lst_price
        tolerance = order.company_id.food_substitute_price_tolerance / 100.0
        result = []
        for candidate in candidates:
            if candidate.uom_id.category_id != product.uom_id.category_id:
                continue
            free = candidate._food_usable_qty(
                stock[(candidate.id, warehouse.id)], delivery
            )
            free_in_unit = candidate.uom_id._compute_quantity(free, product.uom_id)
            if (
                float_compare(
                    free_in_unit, need, precision_rounding=product.uom_id.rounding
                )
                < 0
            ):
                continue
            # prices compared per unit of the original product
            price = candidate.uom_id._compute_price(candidate.lst_price, product.uom_id)
            gap = abs(price - reference)
            if reference and gap > reference * tolerance:
                continue
            result.append(
                {
                    "product": candidate,
                    "free_qty": free,
                    "price": candidate.lst_price,
                    "price_gap": gap,
                }
            )
        result.sort(key=lambda r: (r["price_gap"], -r["free_qty"], r["product"].id))
        return result[:limit]

    def action_resolve_stock_out(
        self, option, expected_date=None, substitute=None, note=None
    ):
        """Record the customer's choice for a line short of stock and apply
        it to the order; the customer gets an e-mail with the option."""
        self.ensure_one()
        order = self.order_id
        order._check_food_allowed("process")
        options = dict(
            self.env["food.order.exception"]
            ._fields["customer_option"]
            ._description_selection(self.env)
        )
        if option not in options:
            raise UserError(self.env._("Choose the option the customer accepted."))
        if order.state == "cancel":
            raise UserError(self.env._("The order is cancelled."))
        substitute = self.env["product.product"].browse(
            substitute
            if isinstance(substitute, int)
            else (substitute.id if substitute else [])
        )
        if option == "substitute":
            if not substitute:
                raise UserError(self.env._("Choose the substitute product."))
            proposals = [
                p["product"] for p in self._get_substitute_products(limit=None)
            ]
            if substitute not in proposals:
                raise UserError(
                    self.env._(
                        "%(product)s cannot replace %(original)s: it must be of "
                        "the same category, in stock for the whole quantity and "
                        "not expire before delivery, at a similar price.",
                        product=substitute.display_name,
                        original=self.product_id.display_name,
                    )
                )
        expected_date = fields.Date.to_date(expected_date)
        if option in ("deliver_later", "split") and not expected_date:
            expected_date = self.stock_restock_date or order.expected_restock_date
            if not expected_date:
                raise UserError(
                    self.env._(
                        "Give the expected arrival date offered to the customer."
                    )
                )
        original_product = self.product_id
        if option == "substitute":
            self._replace_product(substitute)
        else:
            order._set_delivery_policy("one" if option == "deliver_later" else "direct")
            if option == "deliver_later":
                order._postpone_commitment(expected_date)
        # recorded by this action only (create is closed, see the model)
        exception = (
            self.env["food.order.exception"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "line_id": self.id,
                    "product_id": original_product.id,
                    "exception_type": "stock_out",
                    "state": "resolved",
                    "reason": (note or "").strip() or False,
                    "customer_option": option,
                    "expected_date": expected_date if option != "substitute" else False,
                    "substitute_product_id": substitute.id
                    if option == "substitute"
                    else False,
                    "resolved_by_id": self.env.user.id,
                    "resolved_date": fields.Datetime.now(),
                }
            )
        )
        exception = exception.with_env(self.env)
        exception._inform_customer()
        order._run_order_center_checks()
        # the id: an answer over RPC cannot carry a recordset
        return exception.id

    def _replace_product(self, substitute):
        """Put the substitute in place of the line's product."""
        self.ensure_one()
        order = self.order_id
        remaining = self._get_undelivered_qty()
        vals = {
            "product_id": substitute.id,
            "product_uom": substitute.uom_id.id,
            "product_uom_qty": self.product_uom._compute_quantity(
                remaining, substitute.uom_id
            ),
        }
        # the stock-out action decided it (processors and inventory managers)
        line = self._food_trusted()
        if order.state in ("draft", "sent"):
            line.write(vals)
            return self
        # a confirmed order keeps its line history: the line keeps what was
        # delivered and a line of the substitute takes over the rest (and its
        # transfers)
        new_line = line.create(dict(vals, order_id=order.id, sequence=self.sequence))
        line.write({"product_uom_qty": self.qty_delivered})
        # the substitute is in stock: reserve it for the open transfers now
        order.picking_ids.filtered(
            lambda p: p.state not in ("draft", "done", "cancel")
        ).action_assign()
        return new_line.with_env(self.env)

    def action_open_stock_out_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Handle Stock-out"),
            "res_model": "food.stock.out.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }
