# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import math
import unicodedata
from datetime import datetime, time, timezone

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import clean_context, email_normalize

from .sale_order import INTAKE_CHANNELS

_logger = logging.getLogger(__name__)

# What one intake_orders call may carry (README, "Integration API")
MAX_ORDERS_PER_CALL = 500
MAX_LINES_PER_ORDER = 200
MAX_QTY = 1_000_000
MAX_PRICE_UNIT = 1_000_000_000
MAX_REF_LENGTH = 128  # external_ref, customer.platform_customer_id
MAX_CODE_LENGTH = 64  # platform, product_code, barcode
MAX_TEXT_LENGTH = 2000  # note, custom_requirements, the note of a line
CUSTOMER_FIELD_LENGTHS = {
    "name": 128,
    "phone": 64,
    "email": 254,
    "street": 256,
    "street2": 256,
    "city": 128,
    "zip": 32,
    "state_code": 16,
    "country_code": 16,
    "platform_customer_id": MAX_REF_LENGTH,
}
# the customer fields that make a delivery address
ADDRESS_FIELDS = ("street", "street2", "city", "zip")
# errors of the database connection or transaction: the request fails (and
# Odoo retries it on concurrency errors), no order can be created anyway
TRANSACTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)


def _short(value, limit=40):
    """repr() of a value sent, cut to fit in an error message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


def _normalize_address(value):
    """An address part compared without case, spaces and punctuation:
    "人民路 8 号" and "人民路8号", "Main St. 5" and "main st 5" are equal."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(char for char in text if char.isalnum())


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def intake_orders(self, orders):
        """Create order-center orders sent by an integration (sales platform,
        call-center tool, e-mail parser). Contract: README, "Integration API".

        Each order is independent: it is created (and verified), recognised
        as a duplicate of an order already received, or rejected with the
        reasons; a rejected order writes nothing. Every value returned can be
        sent over XML-RPC (no None).

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
        if len(orders) > MAX_ORDERS_PER_CALL:
            raise UserError(
                self.env._(
                    "intake_orders accepts at most %(max)s orders per call, "
                    "%(count)s were sent: send them in several calls.",
                    max=MAX_ORDERS_PER_CALL,
                    count=len(orders),
                )
            )
        # the caller's rights were checked above; partners and orders are
        # created with the intake's own rules, not the caller's ACLs, nor the
        # default values of the caller's context
        intake = self._intake_without_defaults().sudo().with_company(self.env.company)
        seen_refs = set()
        results, todo = [], []
        for payload in orders:
            result = {
                "external_ref": self._intake_echo_ref(payload),
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
        todo = intake._intake_resolve(todo)
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

    @api.model
    def _intake_without_defaults(self):
        """This model without the ``default_*`` keys of the context: values
        of the caller's context never reach the customers and orders created
        for it (the intake runs as superuser)."""
        return self.with_env(self.env(context=clean_context(self.env.context)))

    @api.model
    def _intake_echo_ref(self, payload):
        """The external_ref sent, as a string for the result ("" if none)."""
        ref = payload.get("external_ref") if isinstance(payload, dict) else None
        if isinstance(ref, str):
            return ref
        if isinstance(ref, int) and not isinstance(ref, bool):
            return str(ref)
        return ""

    # ------------------------------------------------------------------
    # creation
    # ------------------------------------------------------------------

    def _intake_create(self, parsed_orders):
        """Create the orders in one savepoint; None if any of them fails."""
        if not parsed_orders:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                vals_list = [
                    self._prepare_intake_order_vals(
                        parsed, *self._intake_customer(parsed)
                    )
                    for parsed in parsed_orders
                ]
                orders = self.create(vals_list)
                self.env.flush_all()
        except TRANSACTION_ERRORS:
            raise
        except Exception:
            # each order again on its own: the failing one is reported (and
            # logged when unexpected), the others are created
            _logger.debug("Intake batch failed, creating its orders one by one")
            return None
        return orders

    def _intake_create_one(self, parsed):
        """Create one order in its own savepoint: the result values."""
        try:
            with self.env.cr.savepoint():
                partner, shipping = self._intake_customer(parsed)
                order = self.create(
                    self._prepare_intake_order_vals(parsed, partner, shipping)
                )
                self.env.flush_all()
        except pg_errors.UniqueViolation:
            # the same platform order was committed by a concurrent request
            # after this transaction started: report the committed order
            committed = parsed["platform"] and self._intake_find_committed(
                parsed["platform"], parsed["external_ref"]
            )
            if committed:
                return dict(result="duplicate", **committed)
            return self._intake_unexpected_error(parsed)
        except (UserError, ValidationError) as error:
            message = error.args[0] if error.args else ""
            return {"errors": [str(message or error)]}
        except TRANSACTION_ERRORS:
            raise
        except Exception:
            return self._intake_unexpected_error(parsed)
        return dict(result="created", **order._intake_result_values())

    def _intake_unexpected_error(self, parsed):
        """Log the error being handled; the result values of its order."""
        _logger.exception(
            "Order intake: the order %s (channel %s) could not be created",
            parsed["external_ref"] or "without external_ref",
            parsed["channel"],
        )
        return {
            "errors": [
                self.env._(
                    "The order could not be created because of an unexpected "
                    "error (written in the server log): send it again later "
                    "or contact the order center."
                )
            ]
        }

    def _intake_result_values(self):
        self.ensure_one()
        return {
            "order_id": self.id,
            "order_name": self.name or False,
            "verification_state": self.verification_state or False,
            "problems": [
                {"type": problem.problem_type or "", "message": problem.name or ""}
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
            "order_name": row[1] or False,
            "verification_state": row[2] or False,
            "problems": [],
        }

    # ------------------------------------------------------------------
    # parsing: types and limits, no database access
    # ------------------------------------------------------------------

    def _intake_parse(self, payload, seen_refs):
        """Check the types and limits of one order; return the parsed order
        and the list of reasons to reject it. Products, platform and places
        are looked up afterwards for the whole batch (``_intake_resolve``)."""
        if not isinstance(payload, dict):
            return None, [
                self.env._("Each order must be an object (a dict, an XML-RPC struct).")
            ]
        errors = []
        parsed = self._intake_parse_source(payload, seen_refs, errors)
        parsed["customer"] = self._intake_parse_customer(
            payload.get("customer"), errors
        )
        parsed["lines"] = self._intake_parse_lines(payload.get("lines"), errors)
        self._intake_parse_options(payload, parsed, errors)
        return (None, errors) if errors else (parsed, [])

    @api.model
    def _intake_text(self, value, field, max_length, errors, numbers=True):
        """The text sent for ``field``, stripped: "" when not given; None,
        with the reason appended to ``errors``, when it is no string (whole
        numbers are read as text if ``numbers``) or too long."""
        _ = self.env._
        if value is None:
            return ""
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            # compared first: Python does not write numbers of 4,300 digits
            too_long = abs(value) >= 10**max_length
            value = "" if too_long else str(value)
        elif isinstance(value, str):
            value = value.strip()
            too_long = len(value) > max_length
        else:
            errors.append(_("%(field)s must be a string.", field=field))
            return None
        if too_long:
            errors.append(
                _(
                    "%(field)s is too long (at most %(max)s characters).",
                    field=field,
                    max=max_length,
                )
            )
            return None
        if "\x00" in value:
            errors.append(_("%(field)s must not contain NUL characters.", field=field))
            return None
        return value

    @api.model
    def _intake_number(self, value, field, maximum, errors, positive=False):
        """The number sent for ``field`` as a float; None, with the reason
        appended to ``errors``, when it is no finite number from 0 (excluded
        if ``positive``) to ``maximum``."""
        _ = self.env._
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(_("%(field)s must be a number.", field=field))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            errors.append(
                _(
                    "%(field)s must be a finite number, not %(value)s.",
                    field=field,
                    value=_short(value),
                )
            )
            return None
        if positive and value <= 0:
            errors.append(_("%(field)s must be greater than 0.", field=field))
            return None
        if value < 0 or value > maximum:
            errors.append(
                _(
                    "%(field)s must be between 0 and %(max)s, not %(value)s.",
                    field=field,
                    max=maximum,
                    value=_short(value),
                )
            )
            return None
        return float(value)

    def _intake_parse_source(self, payload, seen_refs, errors):
        """Channel, platform code and platform order reference of one order."""
        _ = self.env._
        channels = dict(INTAKE_CHANNELS)
        channel = payload.get("channel")
        if channel is None or channel == "":
            errors.append(
                _(
                    "The channel is missing: use one of %(channels)s.",
                    channels=", ".join(channels),
                )
            )
        elif not isinstance(channel, str) or channel not in channels:
            errors.append(
                _(
                    "Unknown channel %(channel)s: use one of %(channels)s.",
                    channel=_short(channel),
                    channels=", ".join(channels),
                )
            )
            channel = None
        external_ref = self._intake_text(
            payload.get("external_ref"), "external_ref", MAX_REF_LENGTH, errors
        )
        platform_code = self._intake_text(
            payload.get("platform"), "platform", MAX_CODE_LENGTH, errors
        )
        if channel == "online_platform":
            if platform_code == "":
                errors.append(_("Platform orders need the code of their platform."))
            if external_ref == "":
                errors.append(_("Platform orders need their external_ref."))
            elif platform_code and external_ref:
                if (platform_code, external_ref) in seen_refs:
                    errors.append(
                        _(
                            "external_ref %(ref)s is sent twice in this batch.",
                            ref=_short(external_ref),
                        )
                    )
                seen_refs.add((platform_code, external_ref))
        elif platform_code:
            errors.append(
                _("A platform is only allowed with the online_platform channel.")
            )
        return {
            "channel": channel,
            "platform_code": platform_code or "",
            "platform": self.env["food.sales.platform"],
            "external_ref": external_ref or False,
        }

    def _intake_parse_customer(self, customer, errors):
        """The customer's data: known keys only, stripped non-empty strings."""
        _ = self.env._
        if not isinstance(customer, dict):
            errors.append(_("customer must be an object with the customer's data."))
            return {}
        data, invalid = {}, set()
        for key, max_length in CUSTOMER_FIELD_LENGTHS.items():
            value = self._intake_text(
                customer.get(key), f"customer.{key}", max_length, errors
            )
            if value is None:
                invalid.add(key)
            elif value:
                data[key] = value
        contact_keys = {"name", "phone", "email"}
        if not (contact_keys & (set(data) | invalid)):
            errors.append(_("The customer needs a name, a phone or an e-mail."))
        return data

    def _intake_parse_lines(self, lines, errors):
        _ = self.env._
        if lines is None or lines == []:
            errors.append(_("The order has no lines."))
            return []
        if not isinstance(lines, list | tuple):
            errors.append(_("lines must be a list of order lines."))
            return []
        if len(lines) > MAX_LINES_PER_ORDER:
            errors.append(
                _(
                    "The order has %(count)s lines, at most %(max)s are accepted "
                    "in one order.",
                    count=len(lines),
                    max=MAX_LINES_PER_ORDER,
                )
            )
            return []
        parsed = []
        for index, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                errors.append(_("Line %(index)s must be an object.", index=index))
                continue
            line_errors = []
            code = self._intake_text(
                line.get("product_code"), "product_code", MAX_CODE_LENGTH, line_errors
            )
            barcode = self._intake_text(
                line.get("barcode"), "barcode", MAX_CODE_LENGTH, line_errors
            )
            if code == "" and barcode == "":
                line_errors.append(_("product_code or barcode is required."))
            qty = self._intake_number(
                line.get("qty"), "qty", MAX_QTY, line_errors, positive=True
            )
            price = line.get("price_unit")
            if price is not None:
                price = self._intake_number(
                    price, "price_unit", MAX_PRICE_UNIT, line_errors
                )
            note = self._intake_text(
                line.get("note"), "note", MAX_TEXT_LENGTH, line_errors, numbers=False
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
                    "qty": qty,
                    "price_unit": price,
                    "note": note or False,
                }
            )
        return parsed

    def _intake_parse_options(self, payload, parsed, errors):
        """Urgent and custom flags, requested date and notes of one order."""
        _ = self.env._
        for key in ("urgent", "custom"):
            value = payload.get(key)
            if value is not None and not isinstance(value, bool):
                errors.append(_("%(field)s must be true or false.", field=key))
            parsed[key] = value is True
        requested_date = payload.get("requested_date")
        parsed["requested_date"] = False
        if isinstance(requested_date, datetime):
            # an XML-RPC dateTime.iso8601
            if requested_date.tzinfo:
                requested_date = requested_date.astimezone(timezone.utc)
            parsed["requested_date"] = requested_date.replace(tzinfo=None)
        elif isinstance(requested_date, str) and requested_date.strip():
            try:
                parsed["requested_date"] = self._intake_parse_date(requested_date)
            except ValueError:
                errors.append(
                    _(
                        "requested_date %(date)s is not a date "
                        "(YYYY-MM-DD or YYYY-MM-DD HH:MM:SS).",
                        date=_short(requested_date),
                    )
                )
        elif requested_date is not None and requested_date != "":
            errors.append(
                _(
                    "requested_date must be a string "
                    "(YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)."
                )
            )
        for key in ("note", "custom_requirements"):
            value = self._intake_text(
                payload.get(key), key, MAX_TEXT_LENGTH, errors, numbers=False
            )
            parsed[key] = value or False

    @api.model
    def _intake_parse_date(self, value):
        if not isinstance(value, str):
            raise ValueError(value)
        value = value.strip()
        if len(value) <= 10:
            # a date alone: deliver during the day (noon avoids time-zone shifts)
            return datetime.combine(fields.Date.to_date(value), time(12))
        return fields.Datetime.to_datetime(value.replace("T", " ")[:19])

    # ------------------------------------------------------------------
    # references: looked up once for the whole batch
    # ------------------------------------------------------------------

    def _intake_resolve(self, todo):
        """Find the platforms, products, countries and states of the parsed
        orders, each in one query for the whole batch. Orders referring to an
        unknown platform or product are rejected; return the others.

        :param todo: list of (result, parsed order)
        """
        _ = self.env._
        parsed_orders = [parsed for _result, parsed in todo]
        platforms = self._intake_find_platforms(parsed_orders)
        by_code, by_barcode = self._intake_find_products(parsed_orders)
        self._intake_find_places(parsed_orders)
        resolved = []
        for result, parsed in todo:
            errors = []
            if parsed["channel"] == "online_platform":
                parsed["platform"] = platforms.get(
                    parsed["platform_code"], parsed["platform"]
                )
                if not parsed["platform"]:
                    errors.append(
                        _(
                            "Unknown platform %(code)s.",
                            code=_short(parsed["platform_code"]),
                        )
                    )
            for line in parsed["lines"]:
                code, barcode = line["product_code"], line["barcode"]
                line["product"] = (
                    by_code.get(code) if code else by_barcode.get(barcode)
                ) or line["product"]
                if not line["product"]:
                    errors.append(
                        _(
                            "Line %(index)s: unknown product %(product)s.",
                            index=line["index"],
                            product=_short(code or barcode),
                        )
                    )
            if errors:
                result["errors"] = errors
            else:
                resolved.append((result, parsed))
        return resolved

    def _intake_find_platforms(self, parsed_orders):
        codes = {
            parsed["platform_code"]
            for parsed in parsed_orders
            if parsed["channel"] == "online_platform"
        }
        if not codes:
            return {}
        platforms = self.env["food.sales.platform"].search(
            [("code", "in", list(codes)), ("company_id", "=", self.env.company.id)]
        )
        return {platform.code: platform for platform in platforms}

    def _intake_find_products(self, parsed_orders):
        """Products by internal reference and by barcode (the first found)."""
        lines = [line for parsed in parsed_orders for line in parsed["lines"]]
        codes = list({line["product_code"] for line in lines} - {""})
        barcodes = list({line["barcode"] for line in lines} - {""})
        if not lines:
            return {}, {}
        products_model = self.env["product.product"].with_context(active_test=True)
        products = products_model.search(
            [
                ("sale_ok", "=", True),
                *products_model._check_company_domain(self.env.company),
                "|",
                ("default_code", "in", codes),
                ("barcode", "in", barcodes),
            ]
        )
        by_code, by_barcode = {}, {}
        for product in products:
            if product.default_code:
                by_code.setdefault(product.default_code, product)
            if product.barcode:
                by_barcode.setdefault(product.barcode, product)
        return by_code, by_barcode

    def _intake_find_places(self, parsed_orders):
        """Set the country and state of the customer of each order (empty
        when not sent or unknown)."""
        data_list = [parsed["customer"] for parsed in parsed_orders]
        country_codes = {
            data["country_code"].upper() for data in data_list if "country_code" in data
        }
        countries = self.env["res.country"]
        if country_codes:
            countries = countries.search([("code", "in", list(country_codes))])
        by_code = {country.code: country for country in countries}
        company_country = self.env.company.country_id
        for parsed in parsed_orders:
            code = parsed["customer"].get("country_code", "").upper()
            parsed["country"] = by_code.get(code) or countries.browse()
        states_by_key = {}
        if any("state_code" in data for data in data_list):
            states = self.env["res.country.state"].search(
                [("country_id", "in", (countries | company_country).ids)]
            )
            states_by_key = {
                (state.country_id, state.code.casefold()): state for state in states
            }
        for parsed in parsed_orders:
            code = parsed["customer"].get("state_code")
            country = parsed["country"] or company_country
            state = code and states_by_key.get((country, code.casefold()))
            parsed["state"] = state or self.env["res.country.state"]

    # ------------------------------------------------------------------
    # customers and orders (also used by the phone order wizard)
    # ------------------------------------------------------------------

    def _intake_customer(self, parsed):
        """Find the customer (platform customer id, then phone, then e-mail),
        or create it with the address given.

        :return: (customer, delivery address): the delivery address is the
            customer itself or one of its delivery contacts when an address
            was sent, else empty (the order takes the customer's default)
        """
        data = parsed["customer"]
        partners = self.env["res.partner"].with_context(active_test=False)
        platform = parsed["platform"]
        partner = partners.browse()
        link_model = self.env["food.platform.customer"]
        platform_customer_id = data.get("platform_customer_id")
        linked = False
        if platform and platform_customer_id:
            partner = link_model.search(
                [
                    ("platform_id", "=", platform.id),
                    ("external_id", "=", platform_customer_id),
                ],
                limit=1,
            ).partner_id
            linked = bool(partner)
        country = parsed["country"] or self.env.company.country_id
        if not partner and data.get("phone"):
            partner = partners._find_by_phone(data["phone"], country)
        email = email_normalize(data.get("email") or "")
        if not partner and email:
            partner = partners.search([("email_normalized", "=", email)], limit=1)
        if partner:
            shipping = self._intake_delivery_address(parsed, partner)
        else:
            partner = partners.create(self._prepare_intake_partner_vals(parsed))
            shipping = partner
        if platform and platform_customer_id and not linked:
            link_model.create(
                {
                    "platform_id": platform.id,
                    "external_id": platform_customer_id,
                    "partner_id": partner.id,
                }
            )
        return partner, shipping

    @api.model
    def _intake_same_address(self, contact, address):
        """Whether the contact is at the address sent (the fields sent only,
        compared without case, spaces and punctuation)."""
        for key, value in address.items():
            if key in ("state_id", "country_id"):
                if contact[key].id != value:
                    return False
            elif _normalize_address(contact[key]) != _normalize_address(value):
                return False
        return True

    def _intake_delivery_address(self, parsed, partner):
        """Where to deliver an order of a known customer: the customer when
        the address sent is the customer's, else its delivery contact at that
        address (found, or created). Empty when no address was sent."""
        data = parsed["customer"]
        if not any(data.get(key) for key in ADDRESS_FIELDS):
            return partner.browse()
        address = {key: data[key] for key in ADDRESS_FIELDS if key in data}
        if parsed["state"]:
            address["state_id"] = parsed["state"].id
        if parsed["country"]:
            address["country_id"] = parsed["country"].id
        if self._intake_same_address(partner, address):
            return partner
        deliveries = partner.search(
            [
                ("parent_id", "=", partner.id),
                ("type", "=", "delivery"),
                ("active", "=", True),
            ]
        )
        for delivery in deliveries:
            if self._intake_same_address(delivery, address):
                return delivery
        return partner.create(self._prepare_intake_delivery_vals(parsed, partner))

    def _prepare_intake_partner_vals(self, parsed):
        """Values of a new customer from the data of an order."""
        data = parsed["customer"]
        country = parsed["country"] or self.env.company.country_id
        return {
            "name": data.get("name") or data.get("phone") or data.get("email"),
            "phone": data.get("phone") or False,
            "email": data.get("email") or False,
            "street": data.get("street") or False,
            "street2": data.get("street2") or False,
            "city": data.get("city") or False,
            "zip": data.get("zip") or False,
            "state_id": parsed["state"].id,
            "country_id": country.id,
            "customer_rank": 1,
        }

    def _prepare_intake_delivery_vals(self, parsed, partner):
        """Values of a delivery contact of ``partner`` at the address sent."""
        data = parsed["customer"]
        name = data.get("name")
        if name and _normalize_address(name) == _normalize_address(partner.name):
            name = False  # shown as the customer's delivery address
        return {
            "parent_id": partner.id,
            "type": "delivery",
            "name": name or False,
            "street": data.get("street") or False,
            "street2": data.get("street2") or False,
            "city": data.get("city") or False,
            "zip": data.get("zip") or False,
            "state_id": parsed["state"].id,
            "country_id": (
                parsed["country"] or partner.country_id or self.env.company.country_id
            ).id,
        }

    def _prepare_intake_order_vals(self, parsed, partner, shipping=None):
        vals = {
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
        if shipping:
            vals["partner_shipping_id"] = shipping.id
        return vals
