# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import clean_context

from .sale_order_intake_parse import MAX_ORDERS_PER_CALL

_logger = logging.getLogger(__name__)

# errors of the database connection or transaction: the request fails (and
# Odoo retries it on concurrency errors), no order can be created anyway
TRANSACTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)


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
        # default values of the caller's context. The caller does not follow
        # them (an integration reads none of the orders it sends), and the
        # chatter does not log their creation: the audit trail keeps who
        # created each order, when and through which channel
        intake = (
            self._intake_without_defaults()
            .with_context(mail_create_nosubscribe=True, mail_create_nolog=True)
            .sudo()
            .with_company(self.env.company)
        )
        seen_refs = set()
        results, todo, payloads = [], [], {}
        for payload in orders:
            result = self._intake_empty_result(
                self._intake_echo_ref(payload), "rejected"
            )
            parsed, errors = intake._intake_parse(payload, seen_refs)
            result["errors"] = errors
            results.append(result)
            if parsed:
                todo.append((result, parsed))
                payloads[id(result)] = payload
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
        queue_size = self.env.company.food_intake_queue_size
        if queue_size and len(orders) > queue_size:
            # a large batch: one job per order, for any server to process
            for result, parsed in to_create:
                result.update(
                    self._intake_enqueue(parsed, payloads[id(result)]),
                )
            return results
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
    def _intake_empty_result(self, external_ref, result):
        """The answer for one order, before anything is known of it: every
        key of the contract, none None (``intake_orders``, ``intake_status``)."""
        return {
            "external_ref": external_ref,
            "result": result,
            "order_id": False,
            "order_name": False,
            "verification_state": False,
            "problems": [],
            "errors": [],
        }

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
                known = self._intake_known_customers(parsed_orders)
                vals_list = [
                    self._prepare_intake_order_vals(
                        parsed, *self._intake_customer(parsed, known)
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
