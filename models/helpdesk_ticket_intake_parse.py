# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .helpdesk_ticket import CASE_CHANNELS, CASE_TYPES
from .sale_order_intake_parse import (
    CUSTOMER_FIELD_LENGTHS,
    MAX_CODE_LENGTH,
    MAX_QTY,
    MAX_REF_LENGTH,
    MAX_TEXT_LENGTH,
    short_repr,
)

# What one intake_cases call may carry (README, "Integration API")
MAX_CASES_PER_CALL = 500
MAX_LINES_PER_CASE = 50
CASE_CUSTOMER_KEYS = ("name", "phone", "email")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # parsing: types and limits, no database access
    # ------------------------------------------------------------------

    def _case_intake_parse(self, payload, seen_refs):
        """Check the types and limits of one case; return the parsed case and
        the list of reasons to reject it. Platforms, orders, products and
        lots are looked up afterwards for the whole batch
        (``_case_intake_resolve``)."""
        if not isinstance(payload, dict):
            return None, [
                self.env._("Each case must be an object (a dict, an XML-RPC struct).")
            ]
        errors = []
        parsed = self._case_intake_parse_source(payload, seen_refs, errors)
        parsed["customer"] = self._case_intake_parse_customer(
            payload.get("customer"), errors
        )
        parsed["case_type"] = self._case_intake_parse_type(
            payload.get("case_type"), errors
        )
        text = self.env["sale.order"]._intake_text
        description = text(
            payload.get("description"),
            "description",
            MAX_TEXT_LENGTH,
            errors,
            numbers=False,
        )
        if description == "":
            errors.append(self.env._("The description of the case is missing."))
        parsed["description"] = description or ""
        parsed["lines"] = self._case_intake_parse_lines(payload.get("lines"), errors)
        return (None, errors) if errors else (parsed, [])

    def _case_intake_parse_source(self, payload, seen_refs, errors):
        """Channel, platform, platform case id and order reference."""
        _ = self.env._
        channel = self.env["sale.order"]._intake_parse_channel(
            payload.get("channel"), dict(CASE_CHANNELS), errors
        )
        text = self.env["sale.order"]._intake_text
        external_ref = text(
            payload.get("external_ref"), "external_ref", MAX_REF_LENGTH, errors
        )
        platform_code = text(
            payload.get("platform"), "platform", MAX_CODE_LENGTH, errors
        )
        order_ref = text(payload.get("order_ref"), "order_ref", MAX_REF_LENGTH, errors)
        if order_ref == "":
            errors.append(
                _(
                    "order_ref is missing: send the order's number or the "
                    "platform's order reference."
                )
            )
        if channel == "platform":
            if platform_code == "":
                errors.append(_("Platform cases need the code of their platform."))
            if external_ref == "":
                errors.append(_("Platform cases need their external_ref."))
        elif external_ref and platform_code == "":
            errors.append(
                _("An external_ref is only accepted with the platform it comes from.")
            )
        if platform_code and external_ref:
            if (platform_code, external_ref) in seen_refs:
                errors.append(
                    _(
                        "external_ref %(ref)s is sent twice in this batch.",
                        ref=short_repr(external_ref),
                    )
                )
            seen_refs.add((platform_code, external_ref))
        return {
            "channel": channel,
            "platform_code": platform_code or "",
            "platform": self.env["food.sales.platform"],
            "external_ref": external_ref or False,
            "order_ref": order_ref or "",
            "order": self.env["sale.order"],
        }

    def _case_intake_parse_customer(self, customer, errors):
        """The contact who reports the case (optional): known keys only."""
        if customer is None:
            return {}
        if not isinstance(customer, dict):
            errors.append(
                self.env._("customer must be an object with the customer's data.")
            )
            return {}
        data = {}
        text = self.env["sale.order"]._intake_text
        for key in CASE_CUSTOMER_KEYS:
            value = text(
                customer.get(key),
                f"customer.{key}",
                CUSTOMER_FIELD_LENGTHS[key],
                errors,
            )
            if value:
                data[key] = value
        return data

    def _case_intake_parse_type(self, case_type, errors):
        _ = self.env._
        types = dict(CASE_TYPES)
        if case_type is None or case_type == "":
            errors.append(
                _(
                    "The case_type is missing: use one of %(types)s.",
                    types=", ".join(types),
                )
            )
            return False
        if not isinstance(case_type, str) or case_type not in types:
            errors.append(
                _(
                    "Unknown case_type %(type)s: use one of %(types)s.",
                    type=short_repr(case_type),
                    types=", ".join(types),
                )
            )
            return False
        return case_type

    def _case_intake_parse_lines(self, lines, errors):
        """The products concerned (optional): product, lot name, quantity."""
        _ = self.env._
        if lines is None or lines == []:
            return []
        if not isinstance(lines, list | tuple):
            errors.append(_("lines must be a list of the products concerned."))
            return []
        if len(lines) > MAX_LINES_PER_CASE:
            errors.append(
                _(
                    "The case has %(count)s lines, at most %(max)s are accepted "
                    "in one case.",
                    count=len(lines),
                    max=MAX_LINES_PER_CASE,
                )
            )
            return []
        orders = self.env["sale.order"]
        parsed = []
        for index, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                errors.append(_("Line %(index)s must be an object.", index=index))
                continue
            line_errors = []
            code = orders._intake_text(
                line.get("product_code"), "product_code", MAX_CODE_LENGTH, line_errors
            )
            barcode = orders._intake_text(
                line.get("barcode"), "barcode", MAX_CODE_LENGTH, line_errors
            )
            if code == "" and barcode == "":
                line_errors.append(_("product_code or barcode is required."))
            lot_name = orders._intake_text(
                line.get("lot"), "lot", MAX_CODE_LENGTH, line_errors
            )
            qty = line.get("qty")
            # the quantity is optional: 0 when the customer did not say
            qty = (
                0.0
                if qty is None
                else orders._intake_number(
                    qty, "qty", MAX_QTY, line_errors, positive=True
                )
            )
            errors += [
                _("Line %(index)s: %(error)s", index=index, error=error)
                for error in line_errors
            ]
            parsed.append(
                {
                    "index": index,
                    "product_code": code,
                    "barcode": barcode,
                    "product": self.env["product.product"],
                    "lot_name": lot_name or "",
                    "lot": self.env["stock.lot"],
                    "qty": qty,
                }
            )
        return parsed

    # ------------------------------------------------------------------
    # references: looked up once for the whole batch
    # ------------------------------------------------------------------

    def _case_intake_resolve(self, todo):
        """Find the platforms, orders, products and lots of the parsed cases,
        each in one query for the whole batch. Cases referring to an unknown
        platform, order, product or lot are rejected; return the others.

        :param todo: list of (result, parsed case)
        """
        _ = self.env._
        parsed_cases = [parsed for _result, parsed in todo]
        platforms = self.env["sale.order"]._intake_find_platforms(
            p["platform_code"] for p in parsed_cases
        )
        orders_by_ref = self._food_find_orders([p["order_ref"] for p in parsed_cases])
        by_code, by_barcode = self.env["sale.order"]._intake_find_products(parsed_cases)
        resolved = []
        for result, parsed in todo:
            errors = []
            if parsed["platform_code"]:
                parsed["platform"] = platforms.get(
                    parsed["platform_code"], parsed["platform"]
                )
                if not parsed["platform"]:
                    errors.append(
                        _(
                            "Unknown platform %(code)s.",
                            code=short_repr(parsed["platform_code"]),
                        )
                    )
            self._case_intake_resolve_order(parsed, orders_by_ref, errors)
            self.env["sale.order"]._intake_resolve_line_products(
                parsed["lines"], by_code, by_barcode, errors
            )
            if errors:
                result["errors"] = errors
            else:
                resolved.append((result, parsed))
        return self._case_intake_resolve_lots(resolved)

    def _case_intake_resolve_order(self, parsed, orders_by_ref, errors):
        """The order of the case: by number, else by the platform's order
        reference (of the case's platform when one is given)."""
        _ = self.env._
        orders = orders_by_ref.get(parsed["order_ref"], self.env["sale.order"])
        if len(orders) > 1 and parsed["platform"]:
            orders = orders.filtered(
                lambda order: (
                    order.name == parsed["order_ref"]
                    or order.platform_id == parsed["platform"]
                )
            )
        if not orders:
            errors.append(
                _("Unknown order %(ref)s.", ref=short_repr(parsed["order_ref"]))
            )
        elif len(orders) > 1:
            errors.append(
                _(
                    "order_ref %(ref)s is the reference of orders of several "
                    "platforms: send the platform too.",
                    ref=short_repr(parsed["order_ref"]),
                )
            )
        else:
            parsed["order"] = orders

    def _case_intake_resolve_lots(self, todo):
        """Find the lots named in the lines, in one query; reject the cases
        naming an unknown lot of their product."""
        _ = self.env._
        lines = [line for _result, parsed in todo for line in parsed["lines"]]
        names = list({line["lot_name"] for line in lines} - {""})
        lots_by_key = {}
        if names:
            lots = self.env["stock.lot"].search(
                [
                    ("name", "in", names),
                    ("product_id", "in", list({line["product"].id for line in lines})),
                    ("company_id", "in", (self.env.company.id, False)),
                ]
            )
            lots_by_key = {(lot.product_id, lot.name): lot for lot in lots}
        resolved = []
        for result, parsed in todo:
            errors = []
            for line in parsed["lines"]:
                if not line["lot_name"]:
                    continue
                line["lot"] = lots_by_key.get(
                    (line["product"], line["lot_name"]), line["lot"]
                )
                if not line["lot"]:
                    errors.append(
                        _(
                            "Line %(index)s: unknown lot %(lot)s of %(product)s.",
                            index=line["index"],
                            lot=short_repr(line["lot_name"]),
                            product=line["product"].display_name,
                        )
                    )
            if errors:
                result["errors"] = errors
            else:
                resolved.append((result, parsed))
        return resolved
