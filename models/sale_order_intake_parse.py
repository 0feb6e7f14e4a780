# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from datetime import datetime, time, timezone

from odoo import api, fields, models

from .sale_order import ORDER_INTAKE_CHANNELS

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


def short_repr(value, limit=40):
    """repr() of a value sent, cut to fit in an error message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
                    value=short_repr(value),
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
                    value=short_repr(value),
                )
            )
            return None
        return float(value)

    def _intake_parse_channel(self, channel, channels, errors):
        """The channel sent, if one of ``channels`` ({value: label}); None
        (and an error) if missing or unknown. Shared with the case intake."""
        _ = self.env._
        if channel is None or channel == "":
            errors.append(
                _(
                    "The channel is missing: use one of %(channels)s.",
                    channels=", ".join(channels),
                )
            )
            return None
        if not isinstance(channel, str) or channel not in channels:
            errors.append(
                _(
                    "Unknown channel %(channel)s: use one of %(channels)s.",
                    channel=short_repr(channel),
                    channels=", ".join(channels),
                )
            )
            return None
        return channel

    def _intake_parse_source(self, payload, seen_refs, errors):
        """Channel, platform code and platform order reference of one order."""
        _ = self.env._
        channel = self._intake_parse_channel(
            payload.get("channel"), dict(ORDER_INTAKE_CHANNELS), errors
        )
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
                            ref=short_repr(external_ref),
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
                        date=short_repr(requested_date),
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
