# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The management report (regulation 4.2.2, R14): order volume and its
trend, progress, exceptions, customer feedback and the top issues of a
period, for one company. The figures are computed once, by
``_get_management_figures``, for the PDF, the e-mail and the tests."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.food_order_exception import EXCEPTION_TYPES
from ..models.helpdesk_ticket import CASE_TYPES
from ..models.helpdesk_ticket_complaint import COMPLAINT_CASE_TYPES, ROOT_CAUSES
from ..models.sale_order import ORDER_CENTER_STAGES, ORDER_INTAKE_CHANNELS

MANAGER_GROUP = "food_order_center.group_order_center_manager"
# stages of the orders the order center no longer works on
DONE_STAGES = ("delivered", "closed", "cancelled")
# how many issues the report ranks
TOP_ISSUE_COUNT = 5
# order-center orders: received through a channel (not after-sales exchanges)
ORDER_CENTER_DOMAIN = [
    ("intake_channel", "in", [key for key, _label in ORDER_INTAKE_CHANNELS])
]


def percent_change(current, previous):
    """Change from ``previous`` to ``current`` in percent; None without a
    previous figure (no division by zero)."""
    if not previous:
        return None
    return (current - previous) * 100.0 / previous


def rate(part, whole):
    """``part`` of ``whole`` in percent; None when ``whole`` is 0."""
    return part * 100.0 / whole if whole else None


class ReportManagement(models.AbstractModel):
    _name = "report.food_order_center.report_management"
    _description = "Management Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The report of one company for a period: ``data`` holds the
        period (``date_from``, ``date_to``) and the company (``company_id``,
        else the printed record); the web client sends it from the wizard."""
        data = data or {}
        company = self._get_report_company(docids, data)
        try:
            date_from = fields.Date.to_date(data.get("date_from"))
            date_to = fields.Date.to_date(data.get("date_to"))
        except (TypeError, ValueError):
            date_from = date_to = None
        if not date_from or not date_to:
            raise UserError(self.env._("Choose the period of the management report."))
        figures = self._get_management_figures(date_from, date_to, company)
        return {
            "doc_ids": company.ids,
            "doc_model": "res.company",
            "docs": company,
            "company": company,
            "figures": figures,
            "tz": company._food_report_tz(),
        }

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    @api.model
    def _get_management_figures(self, date_from, date_to, company):
        """The figures of ``company`` for the days ``date_from`` to
        ``date_to`` (both included, in the company's time zone) and for the
        period of the same length before, as a plain dict. Order center
        managers only."""
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The management report starts on %(date_from)s, after its "
                    "end on %(date_to)s.",
                    date_from=date_from,
                    date_to=date_to,
                )
            )
        self._check_management_access(company)
        # the company's records, whether or not it is the active company
        report = self.with_company(company)
        company = report.env.company
        days = (date_to - date_from).days + 1
        previous_to = date_from - timedelta(days=1)
        previous_from = previous_to - timedelta(days=days - 1)
        period = company._food_day_bounds(date_from, date_to)
        previous = company._food_day_bounds(previous_from, previous_to)
        exceptions = report._get_exception_figures(period, company)
        cases = report._get_case_figures(period, company)
        return {
            "company_id": company.id,
            "company_name": company.name,
            "currency": company.currency_id.name,
            "date_from": date_from,
            "date_to": date_to,
            "previous_date_from": previous_from,
            "previous_date_to": previous_to,
            "generated_at": fields.Datetime.now(),
            "orders": report._get_order_figures(period, previous, date_to, company),
            "progress": report._get_progress_figures(company),
            "exceptions": exceptions,
            "cases": cases,
            "top_issues": report._get_top_issues(exceptions, cases),
        }

    @api.model
    def _get_order_figures(self, period, previous, date_to, company):
        """Order-center orders received (created) in the period and in the
        previous one, by intake channel: all of them counted, cancelled
        ones also counted apart, the untaxed amount of the others in the
        company's currency."""
        current_rows = self._read_order_groups(period, date_to, company)
        previous_rows = self._read_order_groups(previous, date_to, company)
        channels = self.env["sale.order"]._fields["intake_channel"]
        labels = dict(channels._description_selection(self.env))
        by_channel = []
        for channel, _label in ORDER_INTAKE_CHANNELS:
            current = current_rows[channel]
            before = previous_rows[channel]
            by_channel.append(
                self._prepare_order_row(current, before, channel, labels[channel])
            )
        total = self._prepare_order_row(
            {
                key: sum(row[key] for row in current_rows.values())
                for key in ("count", "cancelled", "amount")
            },
            {
                key: sum(row[key] for row in previous_rows.values())
                for key in ("count", "cancelled", "amount")
            },
            False,
            self.env._("Total"),
        )
        return dict(total, by_channel=by_channel)

    @api.model
    def _read_order_groups(self, bounds, date_to, company):
        """{channel: {count, cancelled, amount}} of the orders received
        within ``bounds``, amounts converted at ``date_to``."""
        start, end = bounds
        groups = self.env["sale.order"]._read_group(
            [
                ("company_id", "=", company.id),
                ("create_date", ">=", start),
                ("create_date", "<", end),
                *ORDER_CENTER_DOMAIN,
            ],
            ["intake_channel", "currency_id", "state"],
            ["__count", "amount_untaxed:sum"],
        )
        rows = defaultdict(lambda: {"count": 0, "cancelled": 0, "amount": 0.0})
        for channel, currency, state, count, amount in groups:
            row = rows[channel]
            row["count"] += count
            if state == "cancel":
                row["cancelled"] += count
            else:
                row["amount"] += currency._convert(
                    amount, company.currency_id, company, date_to
                )
        return rows

    @api.model
    def _prepare_order_row(self, current, previous, channel, label):
        return {
            "channel": channel,
            "label": label,
            "count": current["count"],
            "previous_count": previous["count"],
            "count_change": percent_change(current["count"], previous["count"]),
            "cancelled": current["cancelled"],
            "previous_cancelled": previous["cancelled"],
            "amount": current["amount"],
            "previous_amount": previous["amount"],
            "amount_change": percent_change(current["amount"], previous["amount"]),
        }

    @api.model
    def _get_progress_figures(self, company):
        """The order-center orders still in progress now, by stage, and how
        many of them are late."""
        groups = self.env["sale.order"]._read_group(
            [
                ("company_id", "=", company.id),
                ("order_center_stage", "not in", DONE_STAGES),
                *ORDER_CENTER_DOMAIN,
            ],
            ["order_center_stage", "food_is_late"],
            ["__count"],
        )
        counts = defaultdict(int)
        late = 0
        for stage, is_late, count in groups:
            counts[stage] += count
            if is_late:
                late += count
        stages = self.env["sale.order"]._fields["order_center_stage"]
        labels = dict(stages._description_selection(self.env))
        return {
            "by_stage": [
                {"stage": stage, "label": labels[stage], "count": counts[stage]}
                for stage, _label in ORDER_CENTER_STAGES
                if stage not in DONE_STAGES
            ],
            "open": sum(counts.values()),
            "late": late,
        }

    @api.model
    def _get_exception_figures(self, bounds, company):
        """The exceptions recorded in the period, by type, and how many of
        them are still open."""
        start, end = bounds
        groups = self.env["food.order.exception"]._read_group(
            [
                ("company_id", "=", company.id),
                ("create_date", ">=", start),
                ("create_date", "<", end),
            ],
            ["exception_type", "state"],
            ["__count"],
        )
        counts = defaultdict(lambda: {"count": 0, "open": 0})
        for exception_type, state, count in groups:
            counts[exception_type]["count"] += count
            if state == "open":
                counts[exception_type]["open"] += count
        types = self.env["food.order.exception"]._fields["exception_type"]
        labels = dict(types._description_selection(self.env))
        by_type = [
            {"type": key, "label": labels[key], **counts[key]}
            for key, _label in EXCEPTION_TYPES
        ]
        return {
            "by_type": by_type,
            "count": sum(row["count"] for row in by_type),
            "open": sum(row["open"] for row in by_type),
        }

    @api.model
    def _get_case_figures(self, bounds, company):
        """The after-sales cases received in the period (food.case.analysis):
        by type and root cause, satisfaction, deadlines kept."""
        start, end = bounds
        groups = self.env["food.case.analysis"]._read_group(
            [
                ("company_id", "=", company.id),
                ("date", ">=", start),
                ("date", "<", end),
            ],
            ["case_type", "root_cause"],
            [
                "__count",
                "rated:sum",
                "satisfaction:sum",
                "response_on_time:sum",
                "response_on_time:count",
                "resolution_on_time:sum",
                "resolution_on_time:count",
            ],
        )
        by_type = defaultdict(int)
        by_cause = defaultdict(int)
        totals = defaultdict(float)
        for (
            case_type,
            root_cause,
            count,
            rated,
            satisfaction,
            answered,
            answer_due,
            solved,
            solution_due,
        ) in groups:
            by_type[case_type] += count
            if root_cause:
                by_cause[root_cause] += count
            totals["rated"] += rated or 0
            totals["satisfaction"] += satisfaction or 0.0
            # the on-time measures are 100 (kept) or 0 (missed) per case,
            # None while the deadline is still ahead
            totals["answered_on_time"] += (answered or 0.0) / 100.0
            totals["answer_due"] += answer_due or 0
            totals["solved_on_time"] += (solved or 0.0) / 100.0
            totals["solution_due"] += solution_due or 0
        case_types = self.env["food.case.analysis"]._fields["case_type"]
        type_labels = dict(case_types._description_selection(self.env))
        causes = self.env["food.case.analysis"]._fields["root_cause"]
        cause_labels = dict(causes._description_selection(self.env))
        rated = round(totals["rated"])
        answered, answer_due = (
            round(totals["answered_on_time"]),
            round(totals["answer_due"]),
        )
        solved, solution_due = (
            round(totals["solved_on_time"]),
            round(totals["solution_due"]),
        )
        return {
            "count": sum(by_type.values()),
            "by_type": [
                {"type": key, "label": type_labels[key], "count": by_type[key]}
                for key, _label in CASE_TYPES
            ],
            "complaints": sum(by_type[key] for key in COMPLAINT_CASE_TYPES),
            "by_root_cause": [
                {"root_cause": key, "label": cause_labels[key], "count": by_cause[key]}
                for key, _label in ROOT_CAUSES
            ],
            "rated": rated,
            "satisfaction": totals["satisfaction"] / rated if rated else None,
            "answered_on_time": answered,
            "answer_due": answer_due,
            "answered_on_time_rate": rate(answered, answer_due),
            "solved_on_time": solved,
            "solution_due": solution_due,
            "solved_on_time_rate": rate(solved, solution_due),
        }

    @api.model
    def _get_top_issues(self, exceptions, cases):
        """The most frequent exception types and complaint root causes of
        the period, most frequent first (exceptions first on a tie)."""
        issues = [
            {
                "kind": "exception",
                "kind_label": self.env._("Order exception"),
                "key": row["type"],
                "label": row["label"],
                "count": row["count"],
                "rank": (-row["count"], 0, index),
            }
            for index, row in enumerate(exceptions["by_type"])
            if row["count"]
        ] + [
            {
                "kind": "root_cause",
                "kind_label": self.env._("Complaint root cause"),
                "key": row["root_cause"],
                "label": row["label"],
                "count": row["count"],
                "rank": (-row["count"], 1, index),
            }
            for index, row in enumerate(cases["by_root_cause"])
            if row["count"]
        ]
        issues.sort(key=lambda issue: issue["rank"])
        for issue in issues:
            del issue["rank"]
        return issues[:TOP_ISSUE_COUNT]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _check_management_access(self, company):
        """The report shows a whole company's business: order center
        managers of that company only."""
        if self.env.su:
            return
        user = self.env.user
        if not user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only order center managers can see the management report.")
            )
        if company not in user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot see the management report of %(company)s.",
                    company=company.sudo().name,
                )
            )

    @api.model
    def _get_report_company(self, docids, data):
        company_id = data.get("company_id") or (docids and docids[0])
        try:
            company = self.env["res.company"].browse(int(company_id or 0))
        except (TypeError, ValueError):
            company = self.env["res.company"]
        if not company_id:
            company = self.env.company
        if not company.exists():
            raise UserError(self.env._("Choose the company of the management report."))
        self._check_management_access(company)
        return company.with_company(company)
