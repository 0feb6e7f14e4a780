# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.helpdesk_ticket import CASE_CHANNELS, CASE_TYPES
from ..models.helpdesk_ticket_complaint import ROOT_CAUSES
from ..models.helpdesk_ticket_deadline import DEADLINE_STATES


class FoodCaseAnalysis(models.Model):
    """After-sales figures (R20, R17-R19), one row per after-sales case:
    response and resolution times, deadline compliance, satisfaction,
    compensations and returns, for the pivot and graph views and for BI
    tools over RPC (``read_group``)."""

    _name = "food.case.analysis"
    _description = "After-sales Analysis"
    _auto = False
    _rec_name = "case_id"
    _order = "date desc"

    case_id = fields.Many2one("helpdesk.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    platform_id = fields.Many2one(
        "food.sales.platform", string="Sales Platform", readonly=True
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True)
    case_type = fields.Selection(CASE_TYPES, readonly=True)
    channel = fields.Selection(CASE_CHANNELS, readonly=True)
    priority = fields.Selection(
        selection=lambda self: (
            self.env["helpdesk.ticket"]._fields["priority"].selection
        ),
        readonly=True,
    )
    root_cause = fields.Selection(ROOT_CAUSES, readonly=True)
    company_at_fault = fields.Boolean(readonly=True)
    deadline_state = fields.Selection(
        DEADLINE_STATES, string="Deadlines", readonly=True
    )
    is_closed = fields.Boolean(string="Closed", readonly=True)
    date = fields.Datetime(string="Received On", readonly=True)
    first_response_date = fields.Datetime(string="First Response On", readonly=True)
    resolved_date = fields.Datetime(string="Solved On", readonly=True)
    response_hours = fields.Float(
        string="Hours to First Response",
        readonly=True,
        aggregator="avg",
        help="From the case's receipt to the first message sent to the "
        "customer, in hours (calendar time).",
    )
    resolution_hours = fields.Float(
        string="Hours to Solution",
        readonly=True,
        aggregator="avg",
        help="From the case's receipt to its solution, in hours (calendar time).",
    )
    response_on_time = fields.Float(
        string="First Response on Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a case answered by its deadline, 0 for one answered late "
        "or not answered past its deadline; averaged, the rate of cases "
        "answered on time (cases still within their deadline are left out).",
    )
    resolution_on_time = fields.Float(
        string="Solved on Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a case solved by its deadline, 0 for one solved late or "
        "still open past its deadline; averaged, the rate of cases solved on "
        "time (cases still within their deadline are left out).",
    )
    satisfaction = fields.Float(
        readonly=True,
        aggregator="avg",
        help="The customer's last rating of the case (1 to 5); averaged over "
        "the rated cases.",
    )
    rated = fields.Integer(string="Rated Cases", readonly=True)
    compensation_amount = fields.Monetary(
        string="Compensation",
        readonly=True,
        help="Compensations approved or given, in the company's currency.",
    )
    return_count = fields.Integer(string="Returns", readonly=True)
    refused_return_count = fields.Integer(string="Refused Returns", readonly=True)

    @property
    def _table_query(self):
        return """
            SELECT
                t.id AS id,
                t.id AS case_id,
                t.company_id AS company_id,
                c.currency_id AS currency_id,
                t.partner_id AS partner_id,
                t.user_id AS user_id,
                t.food_order_id AS order_id,
                t.food_platform_id AS platform_id,
                t.stage_id AS stage_id,
                t.food_case_type AS case_type,
                t.food_case_channel AS channel,
                t.priority AS priority,
                t.food_root_cause AS root_cause,
                COALESCE(t.food_company_at_fault, FALSE) AS company_at_fault,
                t.food_deadline_state AS deadline_state,
                COALESCE(s.closed, FALSE) AS is_closed,
                t.create_date AS date,
                t.food_first_response_date AS first_response_date,
                t.food_resolved_date AS resolved_date,
                EXTRACT(EPOCH FROM t.food_first_response_date - t.create_date)
                    / 3600.0 AS response_hours,
                EXTRACT(EPOCH FROM t.food_resolved_date - t.create_date)
                    / 3600.0 AS resolution_hours,
                CASE
                    WHEN t.food_response_deadline IS NULL THEN NULL
                    WHEN t.food_first_response_date IS NOT NULL THEN
                        CASE WHEN t.food_first_response_date
                            <= t.food_response_deadline THEN 100.0 ELSE 0.0 END
                    WHEN t.food_response_deadline < (NOW() AT TIME ZONE 'UTC')
                        THEN 0.0
                END AS response_on_time,
                CASE
                    WHEN t.food_resolution_deadline IS NULL THEN NULL
                    WHEN t.food_resolved_date IS NOT NULL THEN
                        CASE WHEN t.food_resolved_date
                            <= t.food_resolution_deadline THEN 100.0 ELSE 0.0 END
                    WHEN t.food_resolution_deadline < (NOW() AT TIME ZONE 'UTC')
                        THEN 0.0
                END AS resolution_on_time,
                NULLIF(t.rating_last_value, 0) AS satisfaction,
                CASE WHEN t.rating_last_value > 0 THEN 1 ELSE 0 END AS rated,
                COALESCE(comp.amount, 0) AS compensation_amount,
                COALESCE(ret.total, 0) AS return_count,
                COALESCE(ret.refused, 0) AS refused_return_count
            FROM helpdesk_ticket t
            JOIN res_company c ON c.id = t.company_id
            LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
            LEFT JOIN (
                SELECT case_id, SUM(amount) AS amount
                  FROM food_case_compensation
                 WHERE state IN ('approved', 'done')
              GROUP BY case_id
            ) comp ON comp.case_id = t.id
            LEFT JOIN (
                SELECT food_case_id,
                       COUNT(*) AS total,
                       COUNT(*) FILTER (
                           WHERE state = 'cancelled'
                             AND food_refusal_reason IS NOT NULL
                       ) AS refused
                  FROM rma
                 WHERE food_case_id IS NOT NULL
              GROUP BY food_case_id
            ) ret ON ret.food_case_id = t.id
            WHERE t.food_case_type IS NOT NULL
        """
