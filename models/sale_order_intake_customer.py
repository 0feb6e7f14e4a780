# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import unicodedata

from odoo import Command, api, models
from odoo.tools import email_normalize

from .sale_order_intake_parse import short_repr

# the customer fields that make a delivery address
ADDRESS_FIELDS = ("street", "street2", "city", "zip")


def _normalize_address(value):
    """An address part compared without case, spaces and punctuation:
    "人民路 8 号" and "人民路8号", "Main St. 5" and "main st 5" are equal."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(char for char in text if char.isalnum())


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _intake_resolve(self, todo):
        """Find the platforms, products, countries and states of the parsed
        orders, each in one query for the whole batch. Orders referring to an
        unknown platform or product are rejected; return the others.

        :param todo: list of (result, parsed order)
        """
        _ = self.env._
        parsed_orders = [parsed for _result, parsed in todo]
        platforms = self._intake_find_platforms(
            parsed["platform_code"]
            for parsed in parsed_orders
            if parsed["channel"] == "online_platform"
        )
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
                            code=short_repr(parsed["platform_code"]),
                        )
                    )
            self._intake_resolve_line_products(
                parsed["lines"], by_code, by_barcode, errors
            )
            if errors:
                result["errors"] = errors
            else:
                resolved.append((result, parsed))
        return resolved

    def _intake_resolve_line_products(self, lines, by_code, by_barcode, errors):
        """Give each parsed line its product, found by code or barcode in the
        products read for the whole batch; an error per unknown product.
        Shared with the case intake."""
        for line in lines:
            code, barcode = line["product_code"], line["barcode"]
            line["product"] = (
                by_code.get(code) if code else by_barcode.get(barcode)
            ) or line["product"]
            if not line["product"]:
                errors.append(
                    self.env._(
                        "Line %(index)s: unknown product %(product)s.",
                        index=line["index"],
                        product=short_repr(code or barcode),
                    )
                )

    def _intake_find_platforms(self, codes):
        """The company's active platforms of the given codes, by code, in one
        query. Shared by order intake, case intake and ``intake_status``."""
        codes = set(codes) - {""}
        if not codes:
            return {}
        platform_model = self.env["food.sales.platform"]
        # with the fields the orders read later (one query, not two)
        platforms = platform_model.search_fetch(
            [("code", "in", list(codes)), ("company_id", "=", self.env.company.id)],
            [
                name
                for name, field in platform_model._fields.items()
                if field.store and field.prefetch is True
            ],
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
        ids_by_code = countries._food_country_ids_by_code()
        by_code = {
            code: countries.browse(ids_by_code[code])
            for code in country_codes
            if code in ids_by_code
        }
        countries = countries.union(*by_code.values())
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

    def _intake_known_customers(self, parsed_orders):
        """The known customers of a batch, each kind read once for the whole
        batch: by the platform's customer id, else by the sanitized phone
        number, else by e-mail (for the orders not found by the former).

        :return: {"link": {(platform id, external id): partner},
                  "phone": {sanitized number: partner},
                  "email": {normalized e-mail: partner}}
        """
        known = {"link": {}, "phone": {}, "email": {}}
        partners = self.env["res.partner"].with_context(active_test=False)
        keys = [self._intake_customer_keys(parsed) for parsed in parsed_orders]
        links = {key["link"] for key in keys if key["link"]}
        if links:
            for link in self.env["food.platform.customer"].search(
                [
                    ("platform_id", "in", list({platform for platform, _ref in links})),
                    ("external_id", "in", list({ref for _platform, ref in links})),
                ]
            ):
                known["link"].setdefault(
                    (link.platform_id.id, link.external_id), link.partner_id
                )
        todo = [key for key in keys if key["link"] not in known["link"]]
        phones = {key["phone"] for key in todo} - {False}
        if phones:
            for partner in partners.search([("phone_sanitized", "in", list(phones))]):
                known["phone"].setdefault(partner.phone_sanitized, partner)
        emails = {
            key["email"] for key in todo if key["phone"] not in known["phone"]
        } - {False}
        if emails:
            for partner in partners.search([("email_normalized", "in", list(emails))]):
                known["email"].setdefault(partner.email_normalized, partner)
        return known

    def _intake_customer_keys(self, parsed):
        """What finds the customer of an order: the platform's customer id,
        the sanitized phone number and the normalized e-mail (False if not
        sent or not valid)."""
        if "customer_keys" in parsed:
            return parsed["customer_keys"]
        data = parsed["customer"]
        platform = parsed["platform"]
        platform_customer_id = data.get("platform_customer_id")
        phone = data.get("phone")
        parsed["customer_keys"] = {
            "link": bool(platform and platform_customer_id)
            and (platform.id, platform_customer_id),
            "phone": bool(phone)
            and self.env["res.partner"]._phone_format_number(
                phone, parsed["country"] or self.env.company.country_id
            )
            or False,
            "email": email_normalize(data.get("email") or ""),
        }
        return parsed["customer_keys"]

    def _intake_customer(self, parsed, known=None):
        """Find the customer (platform customer id, then phone, then e-mail),
        or create it with the address given.

        :param known: the known customers of the batch the order is part of
            (``_intake_known_customers``), completed with the customers
            created for its orders; read for this order alone if not given
        :return: (customer, delivery address): the delivery address is the
            customer itself or one of its delivery contacts when an address
            was sent, else empty (the order takes the customer's default)
        """
        if known is None:
            known = self._intake_known_customers([parsed])
        keys = self._intake_customer_keys(parsed)
        partner = known["link"].get(keys["link"])
        linked = bool(partner)
        if not partner and keys["phone"]:
            partner = known["phone"].get(keys["phone"]) or self.env[
                "res.partner"
            ].with_context(active_test=False).search(
                # the other number of a customer that has two
                [("phone_mobile_search", "=", keys["phone"])],
                limit=1,
            )
        if not partner and keys["email"]:
            partner = known["email"].get(keys["email"])
        if partner:
            shipping = self._intake_delivery_address(parsed, partner)
        else:
            partner = (
                self.env["res.partner"]
                .with_context(active_test=False)
                .create(self._prepare_intake_partner_vals(parsed))
            )
            shipping = partner
            # the later orders of the batch find it
            for kind in ("phone", "email"):
                if keys[kind]:
                    known[kind].setdefault(keys[kind], partner)
        if keys["link"] and not linked:
            platform, platform_customer_id = keys["link"]
            self.env["food.platform.customer"].create(
                {
                    "platform_id": platform,
                    "external_id": platform_customer_id,
                    "partner_id": partner.id,
                }
            )
            known["link"][keys["link"]] = partner
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
