# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import clean_context, email_normalize, plaintext2html

from .helpdesk_ticket_intake_parse import MAX_CASES_PER_CALL
from .sale_order_intake import TRANSACTION_ERRORS

_logger = logging.getLogger(__name__)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def intake_cases(self, cases):
        """Create after-sales cases sent by an integration (sales platform,
        call-center tool, customer portal). Contract: README, "Integration
        API".

        Each case is independent: it is created, recognised as a duplicate
        of a case already received (same platform and external_ref), or
        rejected with the reasons; a rejected case writes nothing. Every value
        returned can be sent over XML-RPC (no None).

        ``response_deadline`` and ``resolution_deadline`` are part of the
        contract but not computed yet: they are False until the deadlines of
        the cases are configured.

        :param list cases: one dict per case
        :return: one result dict per case, in the same order
        """
        self._case_intake_check_access()
        if not isinstance(cases, list | tuple):
            raise UserError(self.env._("intake_cases expects a list of cases."))
        if len(cases) > MAX_CASES_PER_CALL:
            raise UserError(
                self.env._(
                    "intake_cases accepts at most %(max)s cases per call, "
                    "%(count)s were sent: send them in several calls.",
                    max=MAX_CASES_PER_CALL,
                    count=len(cases),
                )
            )
        intake = self._case_intake_env()
        seen_refs = set()
        results, todo = [], []
        for payload in cases:
            result = {
                "external_ref": self.env["sale.order"]._intake_echo_ref(payload),
                "result": "rejected",
                "case_id": False,
                "case_number": False,
                "response_deadline": False,
                "resolution_deadline": False,
                "errors": [],
            }
            parsed, errors = intake._case_intake_parse(payload, seen_refs)
            result["errors"] = errors
            results.append(result)
            if parsed:
                todo.append((result, parsed))
        todo = intake._case_intake_resolve(todo)
        existing = intake._case_intake_find_existing(
            [parsed for _result, parsed in todo if parsed["platform"]]
        )
        to_create = []
        for result, parsed in todo:
            case = existing.get((parsed["platform"].id, parsed["external_ref"]))
            if case:
                result.update(result="duplicate", **case._case_intake_result_values())
            else:
                to_create.append((result, parsed))
        created = intake._case_intake_create([parsed for _result, parsed in to_create])
        if created is not None:
            for (result, _parsed), case in zip(to_create, created, strict=True):
                result.update(result="created", **case._case_intake_result_values())
        else:
            for result, parsed in to_create:
                result.update(intake._case_intake_create_one(parsed))
        return results

    @api.model
    def _case_intake_check_access(self):
        """After-sales staff and order intake integrations send cases."""
        user = self.env.user
        if not (
            user.has_group("food_order_center.group_aftersales")
            or user.has_group("food_order_center.group_order_intake")
        ):
            raise AccessError(
                self.env._(
                    "Only after-sales staff and order intake integrations can "
                    "send after-sales cases."
                )
            )

    @api.model
    def _case_intake_env(self):
        """This model as the intake writes: the caller's rights were checked
        (``_case_intake_check_access``); the cases are created with the
        intake's own rules, not the caller's ACLs, without the ``default_*``
        keys of the caller's context, and without making the caller a
        follower (an integration reads none of the cases it sends)."""
        context = dict(clean_context(self.env.context), mail_create_nosubscribe=True)
        return (
            self.with_env(self.env(context=context))
            .sudo()
            .with_company(self.env.company)
        )

    # ------------------------------------------------------------------
    # creation
    # ------------------------------------------------------------------

    def _case_intake_create(self, parsed_cases):
        """Create the cases in one savepoint; None if any of them fails."""
        if not parsed_cases:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                cases = self.create(
                    [self._prepare_food_case_vals(parsed) for parsed in parsed_cases]
                )
                self.env.flush_all()
        except TRANSACTION_ERRORS:
            raise
        except Exception:
            # each case again on its own: the failing one is reported (and
            # logged when unexpected), the others are created
            _logger.debug("Case intake batch failed, creating its cases one by one")
            return None
        return cases

    def _case_intake_create_one(self, parsed):
        """Create one case in its own savepoint: the result values."""
        try:
            with self.env.cr.savepoint():
                case = self.create(self._prepare_food_case_vals(parsed))
                self.env.flush_all()
        except pg_errors.UniqueViolation:
            # the same platform case was committed by a concurrent request
            # after this transaction started: report the committed case
            committed = parsed["platform"] and self._case_intake_find_committed(
                parsed["platform"], parsed["external_ref"]
            )
            if committed:
                return dict(result="duplicate", **committed)
            return self._case_intake_unexpected_error(parsed)
        except (UserError, ValidationError) as error:
            message = error.args[0] if error.args else ""
            return {"errors": [str(message or error)]}
        except TRANSACTION_ERRORS:
            raise
        except Exception:
            return self._case_intake_unexpected_error(parsed)
        return dict(result="created", **case._case_intake_result_values())

    def _case_intake_unexpected_error(self, parsed):
        """Log the error being handled; the result values of its case."""
        _logger.exception(
            "Case intake: the case %s (channel %s) could not be created",
            parsed["external_ref"] or "without external_ref",
            parsed["channel"],
        )
        return {
            "errors": [
                self.env._(
                    "The case could not be created because of an unexpected "
                    "error (written in the server log): send it again later "
                    "or contact the after-sales service."
                )
            ]
        }

    def _case_intake_result_values(self):
        self.ensure_one()
        return {
            "case_id": self.id,
            "case_number": self.number or False,
            # UTC, as the other times of the API; False without a policy
            "response_deadline": fields.Datetime.to_string(self.food_response_deadline)
            or False,
            "resolution_deadline": fields.Datetime.to_string(
                self.food_resolution_deadline
            )
            or False,
        }

    def _case_intake_find_existing(self, parsed_cases):
        """Cases already received, by (platform id, external ref)."""
        if not parsed_cases:
            return {}
        cases = self.with_context(active_test=False).search(
            [
                (
                    "food_platform_id",
                    "in",
                    list({p["platform"].id for p in parsed_cases}),
                ),
                ("food_external_ref", "in", [p["external_ref"] for p in parsed_cases]),
                ("company_id", "=", self.env.company.id),
            ]
        )
        return {
            (case.food_platform_id.id, case.food_external_ref): case for case in cases
        }

    def _case_intake_find_committed(self, platform, external_ref):
        """Look the case up in a new transaction, which sees what concurrent
        requests committed after this one started."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT id, number, food_response_deadline,"
                " food_resolution_deadline FROM helpdesk_ticket"
                " WHERE food_platform_id = %s AND food_external_ref = %s"
                " AND company_id = %s",
                (platform.id, external_ref, self.env.company.id),
            )
            row = cr.fetchone()
        if not row:
            return None
        return {
            "case_id": row[0],
            "case_number": row[1] or False,
            "response_deadline": fields.Datetime.to_string(row[2]) or False,
            "resolution_deadline": fields.Datetime.to_string(row[3]) or False,
        }

    # ------------------------------------------------------------------
    # the case builder (also used by the hotline wizard)
    # ------------------------------------------------------------------

    @api.model
    def _food_case_create(self, parsed):
        """Create one case, as the current user, from the data of a call
        (``food.case.call.wizard``) parsed like the API's."""
        return self.create(self._prepare_food_case_vals(parsed))

    @api.model
    def _food_case_contact(self, parsed):
        """The customer of a case: the contact who reports it when it is the
        order's customer or one of its contacts (found by phone, then by
        e-mail), else the order's customer."""
        order = parsed["order"]
        data = parsed.get("customer") or {}
        partners = self.env["res.partner"]
        contact = partners.browse()
        if order and data.get("phone"):
            contact = partners._find_by_phone(
                data["phone"],
                order.partner_id.country_id or self.env.company.country_id,
            )
        email = email_normalize(data.get("email") or "")
        if order and not contact and email:
            contact = partners.search([("email_normalized", "=", email)], limit=1)
        commercial = order.partner_id.commercial_partner_id
        if contact and contact.commercial_partner_id == commercial:
            return contact
        return order.partner_id or parsed.get("partner") or partners.browse()

    @api.model
    def _prepare_food_case_vals(self, parsed):
        """Values of a new after-sales case from a parsed case (API, hotline)."""
        order = parsed["order"]
        partner = self._food_case_contact(parsed)
        data = parsed.get("customer") or {}
        subject = order.name or partner.display_name or ""
        return {
            "name": " - ".join(
                part
                for part in (self._food_case_type_label(parsed["case_type"]), subject)
                if part
            ),
            "description": plaintext2html(parsed["description"] or ""),
            "food_case_type": parsed["case_type"],
            "food_case_channel": parsed["channel"],
            "food_order_id": order.id,
            "food_platform_id": parsed["platform"].id,
            "food_external_ref": parsed["external_ref"],
            "partner_id": partner.id,
            "partner_name": data.get("name") or partner.name or False,
            "partner_email": data.get("email") or partner.email or False,
            # the integration sending the case handles none of them
            "user_id": parsed.get("user_id", False),
            "company_id": order.company_id.id or self.env.company.id,
            "food_line_ids": [
                Command.create(
                    {
                        "product_id": line["product"].id,
                        "lot_id": line["lot"].id,
                        "quantity": line["qty"],
                    }
                )
                for line in parsed["lines"]
            ],
        }
