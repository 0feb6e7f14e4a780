# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff evaluations (regulation 8.3, R23): an order center manager reviews a
person's figures over a period (from ``food.staff.performance``, frozen in
the evaluation), scores their work, attitude and teamwork, and records the
outcome: a bonus, a recommended promotion or a development plan."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .res_company import utc_day_bounds

SCORES = [
    ("1", "1 - Poor"),
    ("2", "2 - Below Expectations"),
    ("3", "3 - Meets Expectations"),
    ("4", "4 - Exceeds Expectations"),
    ("5", "5 - Outstanding"),
]

OUTCOMES = [
    ("none", "No Action"),
    ("bonus", "Bonus"),
    ("promotion", "Promotion Recommended"),
    ("development_plan", "Development Plan"),
]

SCORE_FIELDS = ("score_results", "score_attitude", "score_teamwork")

# KPI field of the evaluation -> (measure of food.staff.performance, how it
# adds up over the period: "sum" of the rows, or "avg" of the filled ones)
KPI_MEASURES = {
    "kpi_orders_entered": ("orders_entered", "sum"),
    "kpi_verify_hours": ("verify_hours", "avg"),
    "kpi_clarification_rounds": ("clarification_rounds", "avg"),
    "kpi_orders_processed": ("orders_processed", "sum"),
    "kpi_on_time_rate": ("on_time_rate", "avg"),
    "kpi_stockouts_handled": ("stockout_hours", "count"),
    "kpi_stockout_hours": ("stockout_hours", "avg"),
    "kpi_deliveries_handed_over": ("deliveries_handed_over", "sum"),
    "kpi_shipped_on_time_rate": ("shipped_on_time_rate", "avg"),
    "kpi_case_count": ("case_count", "sum"),
    "kpi_response_hours": ("response_hours", "avg"),
    "kpi_resolution_hours": ("resolution_hours", "avg"),
    "kpi_satisfaction": ("satisfaction", "avg"),
}

# the evaluated person and period: changing them makes the KPIs stale
SCOPE_FIELDS = {"user_id", "date_start", "date_end", "company_id"}


class FoodStaffEvaluation(models.Model):
    _name = "food.staff.evaluation"
    _description = "Staff Evaluation"
    _inherit = ["mail.thread", "food.guarded.mixin"]
    _order = "date_end desc, id desc"

    _sql_constraints = [
        (
            "period_check",
            "CHECK (date_end >= date_start)",
            "The evaluation period cannot end before it starts.",
        ),
    ]

    user_id = fields.Many2one(
        "res.users",
        string="Staff Member",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    date_start = fields.Date(string="Period Start", required=True, tracking=True)
    date_end = fields.Date(string="Period End", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    evaluator_id = fields.Many2one(
        "res.users",
        string="Evaluated By",
        readonly=True,
        copy=False,
        help="The manager who validated the evaluation.",
    )
    date_done = fields.Datetime(string="Validated On", readonly=True, copy=False)

    # the KPIs, frozen at evaluation time
    kpi_date = fields.Datetime(
        string="KPIs Computed On",
        readonly=True,
        copy=False,
        help="When the figures were last read from the staff performance; "
        "empty when the person or the period changed since.",
    )
    kpi_training_valid = fields.Boolean(
        string="Valid Training",
        readonly=True,
        copy=False,
        help="The person had a valid training record when the figures were read.",
    )
    kpi_orders_entered = fields.Integer(
        string="Orders Entered", readonly=True, copy=False
    )
    kpi_verify_hours = fields.Float(
        string="Hours to Verify", readonly=True, copy=False, aggregator="avg"
    )
    kpi_clarification_rounds = fields.Float(
        string="Clarification Rounds", readonly=True, copy=False, aggregator="avg"
    )
    kpi_orders_processed = fields.Integer(
        string="Orders Processed", readonly=True, copy=False
    )
    kpi_on_time_rate = fields.Float(
        string="Orders on Time (%)", readonly=True, copy=False, aggregator="avg"
    )
    kpi_stockouts_handled = fields.Integer(
        string="Stock-outs Handled", readonly=True, copy=False
    )
    kpi_stockout_hours = fields.Float(
        string="Hours to Handle Stock-outs",
        readonly=True,
        copy=False,
        aggregator="avg",
    )
    kpi_deliveries_handed_over = fields.Integer(
        string="Deliveries Handed Over", readonly=True, copy=False
    )
    kpi_shipped_on_time_rate = fields.Float(
        string="Shipped on Time (%)", readonly=True, copy=False, aggregator="avg"
    )
    kpi_case_count = fields.Integer(string="Cases", readonly=True, copy=False)
    kpi_response_hours = fields.Float(
        string="Hours to First Response", readonly=True, copy=False, aggregator="avg"
    )
    kpi_resolution_hours = fields.Float(
        string="Hours to Solution", readonly=True, copy=False, aggregator="avg"
    )
    kpi_satisfaction = fields.Float(
        string="Satisfaction", readonly=True, copy=False, aggregator="avg"
    )

    # the manager's assessment
    score_results = fields.Selection(SCORES, string="Work Results", tracking=True)
    score_attitude = fields.Selection(SCORES, string="Attitude", tracking=True)
    score_teamwork = fields.Selection(SCORES, string="Teamwork", tracking=True)
    score_average = fields.Float(
        string="Average Score",
        compute="_compute_score_average",
        store=True,
        aggregator="avg",
        digits=(3, 2),
    )
    comment = fields.Html(string="Manager's Comment")
    outcome = fields.Selection(OUTCOMES, required=True, default="none", tracking=True)
    development_plan = fields.Text(
        help="Goals, training and follow-up agreed with the person."
    )

    @api.depends("user_id", "date_start", "date_end")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = self.env._(
                "%(person)s, %(start)s - %(end)s",
                person=evaluation.user_id.name or "",
                start=evaluation.date_start or "",
                end=evaluation.date_end or "",
            )

    @api.depends(*SCORE_FIELDS)
    def _compute_score_average(self):
        for evaluation in self:
            scores = [
                int(evaluation[name]) for name in SCORE_FIELDS if evaluation[name]
            ]
            evaluation.score_average = sum(scores) / len(scores) if scores else 0.0

    @api.constrains("outcome", "development_plan")
    def _check_development_plan(self):
        for evaluation in self:
            if (
                evaluation.outcome == "development_plan"
                and not (evaluation.development_plan or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Describe the development plan agreed with %(person)s.",
                        person=evaluation.user_id.name,
                    )
                )

    @api.model
    def _get_food_protected_fields(self):
        # the actions write them: the figures come from the staff
        # performance, never typed in
        return (
            super()._get_food_protected_fields()
            | set(KPI_MEASURES)
            | {"kpi_date", "kpi_training_valid", "state", "evaluator_id", "date_done"}
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_food_protected_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_food_protected_fields([vals])
        if set(vals) - self._get_food_mail_fields():
            self._check_food_draft()
        if SCOPE_FIELDS & set(vals) and not self._is_food_trusted():
            # other person or period: the figures must be read again
            vals = dict(vals, kpi_date=False)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self._check_food_draft()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_compute_kpis(self):
        """Read the person's figures over the period from the staff
        performance and store them in the evaluation."""
        self._check_food_manager()
        self._check_food_draft()
        values = self._get_kpi_values()
        for evaluation in self:
            evaluation._write_food_trusted(values[evaluation.id])
        return True

    def action_done(self):
        """Validate the evaluation: its figures and scores are frozen."""
        self._check_food_manager()
        self._check_food_draft()
        for evaluation in self:
            missing = [
                evaluation._fields[name]._description_string(self.env)
                for name in SCORE_FIELDS
                if not evaluation[name]
            ]
            if not evaluation.kpi_date:
                missing.insert(0, self.env._("the KPIs (Compute KPIs)"))
            if missing:
                raise UserError(
                    self.env._(
                        "Before validating the evaluation of %(person)s, fill "
                        "in: %(missing)s",
                        person=evaluation.user_id.name,
                        missing=", ".join(missing),
                    )
                )
        self._write_food_trusted(
            {
                "state": "done",
                "evaluator_id": self.env.user.id,
                "date_done": fields.Datetime.now(),
            }
        )
        return True

    def action_view_performance(self):
        """The staff performance rows behind the evaluation's figures."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_staff_performance_action"
        )
        start, end = self._get_period_bounds()
        action["domain"] = [
            ("user_id", "=", self.user_id.id),
            ("company_id", "=", self.company_id.id),
            ("date", ">=", start),
            ("date", "<", end),
        ]
        action["context"] = {"search_default_group_role": 1}
        action["view_mode"] = "list,pivot,graph"
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        return action

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _get_kpi_values(self):
        """KPI values of each evaluation, ``{id: vals}``, from one read of
        the staff performance per day (days in the user's time zone, as the
        staff performance views group them)."""
        values = {
            evaluation.id: {
                "kpi_date": fields.Datetime.now(),
                "kpi_training_valid": False,
                **dict.fromkeys(KPI_MEASURES, 0),
            }
            for evaluation in self
        }
        if not self:
            return values
        aggregates = []
        for measure, how in KPI_MEASURES.values():
            specs = [f"{measure}:count"] if how == "count" else [f"{measure}:sum"]
            if how == "avg":
                specs.append(f"{measure}:count")
            aggregates += [spec for spec in specs if spec not in aggregates]
        # a day of margin each side: the rows are grouped by local day
        rows = self.env["food.staff.performance"]._read_group(
            [
                ("user_id", "in", self.user_id.ids),
                ("company_id", "in", self.company_id.ids),
                (
                    "date",
                    ">=",
                    datetime.combine(min(self.mapped("date_start")), time.min)
                    - timedelta(days=1),
                ),
                (
                    "date",
                    "<",
                    datetime.combine(max(self.mapped("date_end")), time.min)
                    + timedelta(days=2),
                ),
            ],
            ["user_id", "company_id", "date:day"],
            aggregates,
        )
        totals = defaultdict(lambda: defaultdict(float))
        for user, company, day, *figures in rows:
            if not day:
                continue
            day = day.date() if isinstance(day, datetime) else day
            for evaluation in self:
                if (
                    evaluation.user_id == user
                    and evaluation.company_id == company
                    and evaluation.date_start <= day <= evaluation.date_end
                ):
                    for spec, figure in zip(aggregates, figures, strict=True):
                        totals[evaluation.id][spec] += figure or 0.0
        for evaluation_id, sums in totals.items():
            for name, (measure, how) in KPI_MEASURES.items():
                if how == "avg":
                    count = sums[f"{measure}:count"]
                    value = sums[f"{measure}:sum"] / count if count else 0.0
                else:
                    value = sums[f"{measure}:{how}"]
                if self._fields[name].type == "integer":
                    value = round(value)
                values[evaluation_id][name] = value
        trained = self.env["food.staff.qualification"]._read_group(
            [("user_id", "in", self.user_id.ids), ("state", "=", "valid")],
            ["user_id"],
        )
        trained_users = {user for (user,) in trained}
        for evaluation in self:
            values[evaluation.id]["kpi_training_valid"] = (
                evaluation.user_id in trained_users
            )
        return values

    def _get_period_bounds(self):
        """First and last moment (excluded) of the period, as naive UTC
        datetimes: its days run in the user's time zone, as in the staff
        performance views."""
        self.ensure_one()
        return utc_day_bounds(
            self.env.context.get("tz"), self.date_start, self.date_end
        )

    @api.model
    def _get_food_mail_fields(self):
        """Fields the chatter writes on any evaluation."""
        return set(self.env["mail.thread"]._fields)

    def _check_food_draft(self):
        done = self.filtered(lambda e: e.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "These evaluations are validated: their figures and scores "
                    "are frozen and they can no longer be changed or deleted: "
                    "%(evaluations)s",
                    evaluations=", ".join(done.mapped("display_name")),
                )
            )

    def _check_food_manager(self):
        if not self.env.user.has_group("food_order_center.group_order_center_manager"):
            raise AccessError(
                self.env._(
                    "Only order center managers compute and validate staff evaluations."
                )
            )
