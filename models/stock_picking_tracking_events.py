# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Carriers' transport status events (R12): record_tracking_events, the
integration API that moves deliveries up to Delivered (README, "Integration
API")."""

import re
from datetime import datetime, timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .food_tracking_event import TRANSPORT_STATUSES

MAX_EVENTS_PER_CALL = 1000
EVENT_KEYS = {"tracking_ref", "status", "time", "event_id", "location", "note"}
EVENT_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
EVENT_TIME_PATTERN = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
)
# how far in the future a carrier's clock may be
EVENT_CLOCK_SKEW = timedelta(hours=1)
# how old an event may be (a delivery's journey takes days, not a year)
MAX_EVENT_AGE = timedelta(days=90)
MAX_LENGTHS = {"tracking_ref": 64, "event_id": 64, "location": 128, "note": 1000}
TRACKING_REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
# the transport status only moves forward: to which statuses each one moves
# (delivered and returned are final; after a failed attempt the carrier may
# try again)
NEXT_STATUSES = {
    False: {"in_transit", "out_for_delivery", "delivered", "failed", "returned"},
    "in_transit": {"out_for_delivery", "delivered", "failed", "returned"},
    "out_for_delivery": {"delivered", "failed", "returned"},
    "failed": {"out_for_delivery", "delivered", "returned"},
    "delivered": set(),
    "returned": set(),
}
ANOMALY_STATUSES = ("failed", "returned")


def is_storable_text(value):
    """PostgreSQL stores no NUL character, and UTF-8 no lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model
    def record_tracking_events(self, events):
        """Record transport status events sent by carriers. Contract: README,
        "Integration API".

        Each event is independent: applied, a duplicate of an event already
        recorded, for an unknown tracking number, or rejected with the
        reasons. Constant number of queries whatever the number of events.

        :param list events: one dict per event
        :return: one result dict per event, in the same order (no None)
        """
        user = self.env.user
        if not (
            user.has_group("food_order_center.group_logistics_coordinator")
            or user.has_group("food_order_center.group_carrier_integration")
        ):
            raise AccessError(
                self.env._(
                    "Only logistics coordinators and carrier integrations "
                    "record tracking events."
                )
            )
        if not isinstance(events, list | tuple):
            raise UserError(
                self.env._("record_tracking_events expects a list of events.")
            )
        if len(events) > MAX_EVENTS_PER_CALL:
            raise UserError(
                self.env._(
                    "record_tracking_events accepts at most %(max)s events per "
                    "call, %(count)s were sent: send them in several calls.",
                    max=MAX_EVENTS_PER_CALL,
                    count=len(events),
                )
            )
        results, parsed_events = [], []
        for payload in events:
            parsed, errors = self._food_parse_event(payload)
            results.append(
                {
                    "tracking_ref": self._food_echo_tracking_ref(payload),
                    "result": "rejected" if errors else "unknown",
                    "picking_id": False,
                    "order_name": False,
                    "order_center_stage": False,
                    "errors": errors,
                }
            )
            parsed_events.append(parsed)
        # the caller's rights were checked above: carrier integrations may
        # not read transfers; the tracking numbers only find the deliveries
        # of the companies the caller works for
        # (env.companies before sudo: only then is the context's
        # allowed_company_ids checked against the caller's companies)
        pickings_by_ref = self.sudo()._food_find_by_tracking_refs(
            {parsed["tracking_ref"] for parsed in parsed_events if parsed},
            self.env.companies,
        )
        existing = self._food_existing_event_keys(pickings_by_ref, parsed_events)
        to_create, created_for = [], []
        for result, parsed in zip(results, parsed_events, strict=True):
            if not parsed:
                continue
            picking = pickings_by_ref.get(parsed["tracking_ref"])
            if not picking:
                result["errors"] = [
                    self.env._(
                        "No delivery has the tracking number %(ref)s.",
                        ref=parsed["tracking_ref"],
                    )
                ]
                continue
            key = (picking.id, parsed["tracking_ref"], parsed["event_id"])
            result["picking_id"] = picking.id
            if key in existing:
                result["result"] = "duplicate"
                continue
            existing.add(key)
            result["result"] = "applied"
            to_create.append(
                {
                    "picking_id": picking.id,
                    # stored related values given: not computed again per 100 rows
                    "order_id": picking.sale_id.id,
                    "company_id": picking.company_id.id,
                    **parsed,
                }
            )
            created_for.append(result)
        new_events = self._food_create_events(to_create, created_for)
        self.sudo()._food_apply_tracking_events(new_events)
        pickings = self.sudo().browse(
            {result["picking_id"] for result in results if result["picking_id"]}
        )
        stages = {
            picking.id: (picking.sale_id.name, picking.sale_id.order_center_stage)
            for picking in pickings
        }
        for result in results:
            if result["picking_id"]:
                name, stage = stages[result["picking_id"]]
                result["order_name"] = name or False
                result["order_center_stage"] = stage or False
        return results

    @api.model
    def _food_echo_tracking_ref(self, payload):
        """The tracking_ref sent, as a string for the result ("" if none)."""
        ref = payload.get("tracking_ref") if isinstance(payload, dict) else None
        if isinstance(ref, str):
            return ref[:256]
        if isinstance(ref, int) and not isinstance(ref, bool):
            return str(ref)
        return ""

    @api.model
    def _food_parse_event(self, payload):
        """(values of a food.tracking.event, []) or (None, [errors])."""
        _ = self.env._
        if not isinstance(payload, dict):
            return None, [_("An event must be a dict.")]
        errors = []
        unknown = sorted(str(key) for key in set(payload) - EVENT_KEYS)
        if unknown:
            errors.append(_("Unknown fields: %(fields)s", fields=", ".join(unknown)))
        values = {}
        for key in ("tracking_ref", "event_id", "location", "note"):
            value = payload.get(key)
            if value in (None, False, ""):
                value = ""
            elif (
                key == "event_id"
                and isinstance(value, int)
                and not isinstance(value, bool)
            ):
                value = str(value)
            if not isinstance(value, str):
                errors.append(_("%(field)s must be a text.", field=key))
                continue
            value = value.strip()
            if not is_storable_text(value):
                errors.append(
                    _(
                        "%(field)s contains characters that cannot be stored "
                        "(NUL or invalid Unicode).",
                        field=key,
                    )
                )
                continue
            if len(value) > MAX_LENGTHS[key]:
                errors.append(
                    _(
                        "%(field)s is longer than %(max)s characters.",
                        field=key,
                        max=MAX_LENGTHS[key],
                    )
                )
            values[key] = value
        if "tracking_ref" in values and not values["tracking_ref"]:
            errors.append(_("tracking_ref is required."))
        status = payload.get("status")
        if not isinstance(status, str) or status not in dict(TRANSPORT_STATUSES):
            errors.append(
                _(
                    "status must be one of %(statuses)s.",
                    statuses=", ".join(dict(TRANSPORT_STATUSES)),
                )
            )
        event_time = self._food_parse_event_time(payload.get("time"), errors)
        if errors:
            return None, errors
        return {
            "tracking_ref": values["tracking_ref"],
            "status": status,
            "event_time": event_time,
            "event_id": values["event_id"]
            or f"{status}@{fields.Datetime.to_string(event_time)}",
            "location": values["location"] or False,
            "note": values["note"] or False,
        }, []

    @api.model
    def _food_parse_event_time(self, value, errors):
        _ = self.env._
        if not value:
            errors.append(_("time is required."))
            return None
        try:
            # ASCII digits only (strptime also reads other scripts' digits)
            if not isinstance(value, str) or not EVENT_TIME_PATTERN.match(value):
                raise ValueError(value)
            event_time = datetime.strptime(value, EVENT_TIME_FORMAT)
        except ValueError:
            errors.append(_("time must be a UTC time as 'YYYY-MM-DD HH:MM:SS'."))
            return None
        now = fields.Datetime.now()
        if event_time > now + EVENT_CLOCK_SKEW:
            errors.append(_("time is in the future: %(time)s UTC.", time=value))
            return None
        if event_time < now - MAX_EVENT_AGE:
            errors.append(
                _(
                    "time is more than %(days)s days ago: %(time)s UTC.",
                    days=MAX_EVENT_AGE.days,
                    time=value,
                )
            )
            return None
        return event_time

    @api.model
    def _food_find_by_tracking_refs(self, refs, companies):
        """{tracking number: delivery} in one search among the deliveries of
        ``companies``, whether the number is the delivery's or one of its
        packages'."""
        if not refs:
            return {}
        refs = list(refs)
        pickings = self.search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("food_handover_date", "!=", False),
                ("company_id", "in", companies.ids),
                "|",
                ("carrier_tracking_ref", "in", refs),
                ("move_line_ids.result_package_id.food_tracking_ref", "in", refs),
            ]
        )
        by_ref = {}
        for picking in pickings:
            by_ref[picking.carrier_tracking_ref] = picking
            for package in picking.move_line_ids.result_package_id:
                if package.food_tracking_ref:
                    by_ref[package.food_tracking_ref] = picking
        return by_ref

    @api.model
    def _food_existing_event_keys(self, pickings_by_ref, parsed_events):
        """Keys (picking, tracking number, event id) already recorded, in
        one search."""
        event_ids = {parsed["event_id"] for parsed in parsed_events if parsed}
        pickings = self.browse({p.id for p in pickings_by_ref.values()})
        if not event_ids or not pickings:
            return set()
        # the caller may not read events (carrier integrations)
        records = (
            self.env["food.tracking.event"]
            .sudo()
            .search_fetch(
                [
                    ("picking_id", "in", pickings.ids),
                    ("event_id", "in", list(event_ids)),
                ],
                ["picking_id", "tracking_ref", "event_id"],
            )
        )
        return {(e.picking_id.id, e.tracking_ref, e.event_id) for e in records}

    def _food_create_events(self, vals_list, results):
        """Create the new events; those a concurrent call committed after
        this transaction started are answered duplicate instead."""
        events = self.env["food.tracking.event"].sudo()
        if not vals_list:
            return events
        try:
            with self.env.cr.savepoint():
                created = events.create(vals_list)
                created.flush_recordset()
        except pg_errors.UniqueViolation:
            created = None
        if created is not None:
            return created
        # this transaction cannot see the other's events: read the committed
        # ones in a cursor of their own
        keys = {(v["picking_id"], v["tracking_ref"], v["event_id"]) for v in vals_list}
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT picking_id, tracking_ref, event_id FROM food_tracking_event"
                    " WHERE picking_id IN %s AND event_id IN %s",
                    tuple({key[0] for key in keys}),
                    tuple({key[2] for key in keys}),
                )
            )
            committed = set(cr.fetchall()) & keys
        todo = []
        for vals, result in zip(vals_list, results, strict=True):
            if (
                vals["picking_id"],
                vals["tracking_ref"],
                vals["event_id"],
            ) in committed:
                result["result"] = "duplicate"
            else:
                todo.append(vals)
        return events.create(todo)

    def _food_apply_tracking_events(self, events):
        """Move the transport status of the events' deliveries forward (never
        back: an event older than the current status only joins the
        timeline); a failed or returned delivery opens a delivery
        exception on its order."""
        anomalies = []
        by_picking = {}
        for event in events.sorted(lambda e: (e.event_time, e.id)):
            by_picking.setdefault(event.picking_id, []).append(event)
        for picking, picking_events in by_picking.items():
            status = picking.food_transport_status
            status_time = picking.food_transport_date
            delivered_date = picking.food_delivered_date
            for event in picking_events:
                if (status_time and event.event_time < status_time) or (
                    event.status not in NEXT_STATUSES[status]
                ):
                    continue
                status, status_time = event.status, event.event_time
                if status == "delivered":
                    delivered_date = event.event_time
                if status in ANOMALY_STATUSES:
                    anomalies.append(event)
            if status != picking.food_transport_status:
                picking._write_food_trusted(
                    {
                        "food_transport_status": status,
                        "food_transport_date": status_time,
                        "food_delivered_date": delivered_date,
                    }
                )
        self._food_open_delivery_exceptions(anomalies)

    def _food_open_delivery_exceptions(self, events):
        events = [event for event in events if event.order_id]
        if not events:
            return
        # exceptions are opened by the order center's own actions
        exceptions = self.env["food.order.exception"].sudo()
        already_open = exceptions.search(
            [
                ("order_id", "in", [event.order_id.id for event in events]),
                ("exception_type", "=", "delivery_failed"),
                ("state", "=", "open"),
            ]
        ).order_id
        vals_list = []
        for event in events:
            if event.order_id in already_open:
                continue
            already_open |= event.order_id
            # read by the staff: in the company's language, whoever reports
            staff_env = event.order_id._food_staff_env()
            labels = dict(event._fields["status"]._description_selection(staff_env))
            vals_list.append(
                {
                    "order_id": event.order_id.id,
                    "exception_type": "delivery_failed",
                    "reason": staff_env._(
                        "%(status)s reported by the carrier for %(ref)s at "
                        "%(time)s UTC. Place: %(where)s. Note: %(note)s",
                        status=labels[event.status],
                        ref=event.tracking_ref,
                        time=fields.Datetime.to_string(event.event_time),
                        where=event.location or "-",
                        note=event.note or "-",
                    ),
                }
            )
        # the expected date, the customer's notice and the staff's activities,
        # as for the delays found by the delay job
        exceptions.create(vals_list)._food_report_late()
