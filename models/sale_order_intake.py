# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time

from psycopg2 import IntegrityError
from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize

from .sale_order import INTAKE_CHANNELS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def intake_orders(self, orders):
        """Create order-center orders sent by an integration (sales platform,
        call-center tool, e-mail parser). Contract: README, "Integration API".

        Each order is independent: it is created (and verified), recognised
        as a duplicate of an order already received, or rejected with the
        reasons; a rejected order writes nothing.

        :param list orders: one dict per order
        :return: one result dict per order, in the same order
        """
        if not self.env.user.has_group("food_order_center.group_order_intake"):
            raise AccessError(
                self.env._(
                    "Only order receivers and order intake integrations can "
                    "send orders."
                )
            )
        if not isinstance(orders, list | tuple):
            raise UserError(self.env._("intake_orders expects a list of orders."))
        # the caller's rights were checked above; partners and orders are
        # created with the intake's own rules, not the caller's ACLs
        intake = self.sudo().with_company(self.env.company)
        seen_refs = set()
        results, todo = [], []
        for payload in orders:
            result = {
                "external_ref": payload.get("external_ref")
                if isinstance(payload, dict)
                else None,
                "result": "rejected",
                "order_id": False,
                "order_name": False,
                "verification_state": False,
                "problems": [],
                "errors": [],
            }
            parsed, errors = intake._intake_parse(payload, seen_refs)
            result["errors"] = errors
            results.append(result)
            if parsed:
                todo.append((result, parsed))
        existing = intake._intake_find_existing(
            [parsed for _result, parsed in todo if parsed["platform"]]
        )
        to_create = []
        for result, parsed in todo:
            order = existing.get((parsed["platform"].id, parsed["external_ref"]))
            if order:
                result.update(result="duplicate", **order._intake_result_values())
            else:
                to_create.append((result, parsed))
        # all orders at once; should one of them fail, each on its own
        orders = intake._intake_create([parsed for _result, parsed in to_create])
        if orders is not None:
            for (result, _parsed), order in zip(to_create, orders, strict=True):
                result.update(result="created", **order._intake_result_values())
        else:
            for result, parsed in to_create:
                result.update(intake._intake_create_one(parsed))
        return results

    def _intake_create(self, parsed_orders):
        """Create the orders in one savepoint; None if any of them fails."""
        if not parsed_orders:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                vals_list = [
                    self._prepare_intake_order_vals(
                        parsed, self._intake_customer(parsed)
                    )
                    for parsed in parsed_orders
                ]
                orders = self.create(vals_list)
                self.env.flush_all()
        except (UserError, ValidationError, IntegrityError):
            return None
        return orders

    def _intake_create_one(self, parsed):
        """Create one order in its own savepoint: the result values."""
        try:
            with self.env.cr.savepoint():
                partner = self._intake_customer(parsed)
                order = self.create(self._prepare_intake_order_vals(parsed, partner))
                self.env.flush_all()
        except pg_errors.UniqueViolation:
            # the same platform order was committed by a concurrent request
            # after this transaction started: report the committed order
            committed = self._intake_find_committed(
                parsed["platform"], parsed["external_ref"]
            )
            if committed:
                return dict(result="duplicate", **committed)
            raise
        except (UserError, ValidationError) as error:
            return {"errors": [str(error.args[0] if error.args else error)]}
        return dict(result="created", **order._intake_result_values())

    def _intake_result_values(self):
        self.ensure_one()
        return {
            "order_id": self.id,
            "order_name": self.name,
            "verification_state": self.verification_state,
            "problems": [
                {"type": problem.problem_type, "message": problem.name}
                for problem in self.verification_problem_ids
            ],
        }

    def _intake_find_existing(self, parsed_orders):
        """Orders already received, by (platform id, external ref)."""
        if not parsed_orders:
            return {}
        orders = self.with_context(active_test=False).search(
            [
                ("platform_id", "in", list({p["platform"].id for p in parsed_orders})),
                ("external_ref", "in", [p["external_ref"] for p in parsed_orders]),
                ("company_id", "=", self.env.company.id),
            ]
        )
        return {(order.platform_id.id, order.external_ref): order for order in orders}

    def _intake_find_committed(self, platform, external_ref):
        """Look the order up in a new transaction, which sees what concurrent
        requests committed after this one started."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT id, name, verification_state FROM sale_order"
                " WHERE platform_id = %s AND external_ref = %s AND company_id = %s",
                (platform.id, external_ref, self.env.company.id),
            )
            row = cr.fetchone()
        if not row:
            return None
        return {
            "order_id": row[0],
            "order_name": row[1],
            "verification_state": row[2],
            "problems": [],
        }

    def _intake_parse(self, payload, seen_refs):
        """Check the types and references of one order; return the parsed
        order and the list of reasons to reject it."""
        _ = self.env._
        if not isinstance(payload, dict):
            return None, [_("Each order must be a JSON object (dict).")]
        parsed, errors = self._intake_parse_source(payload, seen_refs)
        customer = payload.get("customer")
        if not isinstance(customer, dict):
            errors.append(_("customer must be an object with the customer's data."))
            customer = {}
        for key, value in customer.items():
            if value is not None and not isinstance(value, str | int):
                errors.append(_("customer.%(key)s must be a string.") % {"key": key})
        parsed["customer"] = {
            key: str(value).strip()
            for key, value in customer.items()
            if value not in (None, "")
        }
        parsed["lines"], line_errors = self._intake_parse_lines(payload.get("lines"))
        errors += line_errors
        errors += self._intake_parse_options(payload, parsed)
        return (None, errors) if errors else (parsed, [])

    def _intake_parse_source(self, payload, seen_refs):
        """Channel, platform and platform order reference of one order."""
        _ = self.env._
        errors = []
        channels = dict(INTAKE_CHANNELS)
        channel = payload.get("channel")
        if channel not in channels:
            errors.append(
                _("Unknown channel %(channel)r: use one of %(channels)s.")
                % {"channel": channel, "channels": ", ".join(channels)}
            )
        external_ref = payload.get("external_ref")
        if external_ref is not None and not isinstance(external_ref, str | int):
            errors.append(_("external_ref must be a string."))
            external_ref = None
        external_ref = (
            str(external_ref).strip() if external_ref not in (None, "") else ""
        )
        platform = self.env["food.sales.platform"]
        platform_code = payload.get("platform")
        if channel == "online_platform":
            if platform_code:
                platform = platform.search(
                    [
                        ("code", "=", str(platform_code)),
                        ("company_id", "=", self.env.company.id),
                    ],
                    limit=1,
                )
            if not platform:
                errors.append(_("Unknown platform %(code)r.") % {"code": platform_code})
            if not external_ref:
                errors.append(_("Platform orders need their external_ref."))
            elif (platform_code, external_ref) in seen_refs:
                errors.append(
                    _("external_ref %(ref)r is sent twice in this batch.")
                    % {"ref": external_ref}
                )
            seen_refs.add((platform_code, external_ref))
        elif platform_code:
            errors.append(
                _("A platform is only allowed with the online_platform channel.")
            )
        parsed = {
            "channel": channel,
            "platform": platform,
            "external_ref": external_ref or False,
        }
        return parsed, errors

    def _intake_parse_options(self, payload, parsed):
        """Urgent and custom flags, requested date and notes of one order."""
        _ = self.env._
        errors = []
        for key in ("urgent", "custom"):
            value = payload.get(key, False)
            if not isinstance(value, bool):
                errors.append(_("%(key)s must be true or false.") % {"key": key})
            parsed[key] = bool(value)
        requested_date = payload.get("requested_date")
        parsed["requested_date"] = False
        if requested_date:
            try:
                parsed["requested_date"] = self._intake_parse_date(requested_date)
            except (TypeError, ValueError):
                errors.append(
                    _("requested_date %(date)r is not a date (YYYY-MM-DD[ HH:MM:SS]).")
                    % {"date": requested_date}
                )
        for key in ("note", "custom_requirements"):
            value = payload.get(key)
            if value is not None and not isinstance(value, str):
                errors.append(_("%(key)s must be a string.") % {"key": key})
            parsed[key] = value if isinstance(value, str) and value.strip() else False
        return errors

    @api.model
    def _intake_parse_date(self, value):
        if not isinstance(value, str):
            raise TypeError(value)
        if len(value.strip()) <= 10:
            # a date alone: deliver during the day (noon avoids time-zone shifts)
            return datetime.combine(fields.Date.to_date(value.strip()), time(12))
        return fields.Datetime.to_datetime(value.strip().replace("T", " ")[:19])

    def _intake_parse_lines(self, lines):
        _ = self.env._
        if not isinstance(lines, list) or not lines:
            return [], [_("The order has no lines.")]
        errors = []
        codes = {line.get("product_code") for line in lines if isinstance(line, dict)}
        barcodes = {line.get("barcode") for line in lines if isinstance(line, dict)}
        products = self.env["product.product"].search(
            [
                ("sale_ok", "=", True),
                "|",
                ("default_code", "in", [c for c in codes if isinstance(c, str) and c]),
                ("barcode", "in", [b for b in barcodes if isinstance(b, str) and b]),
            ]
        )
        by_code = {p.default_code: p for p in products if p.default_code}
        by_barcode = {p.barcode: p for p in products if p.barcode}
        parsed = []
        for index, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                errors.append(_("Line %(index)s must be an object.") % {"index": index})
                continue
            code, barcode = line.get("product_code"), line.get("barcode")
            product = by_code.get(code) if code else by_barcode.get(barcode)
            if not product:
                errors.append(
                    _("Line %(index)s: unknown product %(product)r.")
                    % {"index": index, "product": code or barcode}
                )
            qty = line.get("qty")
            if isinstance(qty, bool) or not isinstance(qty, int | float):
                errors.append(
                    _("Line %(index)s: qty must be a number.") % {"index": index}
                )
            elif qty <= 0:
                errors.append(
                    _("Line %(index)s: the quantity must be greater than 0.")
                    % {"index": index}
                )
            price = line.get("price_unit")
            if price is not None and (
                isinstance(price, bool)
                or not isinstance(price, int | float)
                or price < 0
            ):
                errors.append(
                    _("Line %(index)s: price_unit must be a positive number.")
                    % {"index": index}
                )
            note = line.get("note")
            if note is not None and not isinstance(note, str):
                errors.append(
                    _("Line %(index)s: note must be a string.") % {"index": index}
                )
            parsed.append(
                {"product": product, "qty": qty, "price_unit": price, "note": note}
            )
        return parsed, errors

    def _intake_customer(self, parsed):
        """Find the customer (platform customer id, then phone, then e-mail),
        or create it with the address given."""
        data = parsed["customer"]
        partners = self.env["res.partner"].with_context(active_test=False)
        platform = parsed["platform"]
        partner = partners.browse()
        link_model = self.env["food.platform.customer"]
        platform_customer_id = data.get("platform_customer_id")
        if platform and platform_customer_id:
            partner = link_model.search(
                [
                    ("platform_id", "=", platform.id),
                    ("external_id", "=", platform_customer_id),
                ],
                limit=1,
            ).partner_id
        country = (
            self.env["res.country"].search(
                [("code", "=ilike", data.get("country_code") or "")], limit=1
            )
            or self.env.company.country_id
        )
        if not partner and data.get("phone"):
            partner = partners._find_by_phone(data["phone"], country)
        email = email_normalize(data.get("email") or "")
        if not partner and email:
            partner = partners.search([("email_normalized", "=", email)], limit=1)
        if not partner:
            partner = partners.create(self._prepare_intake_partner_vals(data, country))
        if platform and platform_customer_id:
            link_model._link(platform, platform_customer_id, partner)
        return partner

    def _prepare_intake_partner_vals(self, data, country):
        state = self.env["res.country.state"]
        if data.get("state_code") and country:
            state = state.search(
                [
                    ("country_id", "=", country.id),
                    ("code", "=ilike", data["state_code"]),
                ],
                limit=1,
            )
        return {
            "name": data.get("name") or data.get("phone") or data.get("email"),
            "phone": data.get("phone"),
            "email": data.get("email"),
            "street": data.get("street"),
            "street2": data.get("street2"),
            "city": data.get("city"),
            "zip": data.get("zip"),
            "state_id": state.id,
            "country_id": country.id,
            "customer_rank": 1,
        }

    def _prepare_intake_order_vals(self, parsed, partner):
        return {
            "partner_id": partner.id,
            "intake_channel": parsed["channel"],
            "platform_id": parsed["platform"].id,
            "external_ref": parsed["external_ref"],
            "client_order_ref": parsed["external_ref"],
            "urgency": "urgent" if parsed["urgent"] else "normal",
            "is_custom_order": parsed["custom"],
            "custom_requirements": parsed["custom_requirements"],
            "commitment_date": parsed["requested_date"],
            "note": parsed["note"],
            "order_line": [
                Command.create(
                    {
                        "product_id": line["product"].id,
                        "product_uom_qty": line["qty"],
                        **(
                            {"price_unit": line["price_unit"]}
                            if line["price_unit"] is not None
                            else {}
                        ),
                        **(
                            {"name": f"{line['product'].display_name}\n{line['note']}"}
                            if line["note"]
                            else {}
                        ),
                    }
                )
                for line in parsed["lines"]
            ],
        }
