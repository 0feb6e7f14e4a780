# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Training plan (regulation 8.2, R23): the order center managers plan
training sessions, record who attended, and the attendance renews each
attendee's training record (``food.staff.qualification``) of the session's
topic; a valid food-safety record is what lets a processor receive orders."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .food_staff_qualification import QUALIFICATION_TYPES

SESSION_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class FoodTrainingSession(models.Model):
    _name = "food.training.session"
    _description = "Staff Training Session"
    _inherit = ["mail.thread", "mail.activity.mixin", "food.guarded.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _sql_constraints = [
        (
            "duration_positive",
            "CHECK (duration > 0)",
            "The duration of a training session must be positive.",
        ),
        (
            "validity_positive",
            "CHECK (validity_months > 0)",
            "The training must stay valid for at least one month.",
        ),
    ]

    name = fields.Char(string="Session", required=True, tracking=True)
    topic = fields.Selection(
        QUALIFICATION_TYPES,
        required=True,
        default="food_safety",
        index=True,
        tracking=True,
        help="The attendees' training record of this type is renewed when "
        "the attendance is recorded.",
    )
    date = fields.Datetime(
        string="Start",
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
    )
    duration = fields.Float(string="Duration (hours)", required=True, default=2.0)
    validity_months = fields.Integer(
        string="Valid for (months)",
        required=True,
        default=12,
        tracking=True,
        help="The renewed training records are valid this many months from "
        "the day of the session (a record valid longer is not shortened).",
    )
    trainer_id = fields.Many2one(
        "res.partner",
        tracking=True,
        help="Colleague or external trainer who gives the session.",
    )
    location = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    attendance_ids = fields.One2many(
        "food.training.attendance", "session_id", copy=True
    )
    attendee_ids = fields.Many2many(
        "res.users",
        "food_training_session_attendee_rel",
        "session_id",
        "user_id",
        string="Attendees",
        compute="_compute_attendee_ids",
        store=True,
    )
    attendee_count = fields.Integer(
        string="Invited", compute="_compute_attendance_counts"
    )
    attended_count = fields.Integer(
        string="Attended", compute="_compute_attendance_counts"
    )
    state = fields.Selection(
        SESSION_STATES,
        string="Status",
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    note = fields.Html(string="Programme")

    @api.depends("attendance_ids.user_id")
    def _compute_attendee_ids(self):
        for session in self:
            session.attendee_ids = session.attendance_ids.user_id

    @api.depends("attendance_ids.attended")
    def _compute_attendance_counts(self):
        for session in self:
            session.attendee_count = len(session.attendance_ids)
            session.attended_count = len(session.attendance_ids.filtered("attended"))

    @api.model
    def _get_food_protected_fields(self):
        # the workflow's actions write it
        return super()._get_food_protected_fields() | {"state"}

    @api.model_create_multi
    def create(self, vals_list):
        self._check_food_protected_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_food_protected_fields([vals])
        if set(vals) - self._get_food_mail_fields() and not self._is_food_trusted():
            self._check_food_not_done()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self._check_food_not_done()

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_done(self):
        """Order center managers: record the attendance of sessions that
        took place. Every attendee marked attended gets their training
        record of the session's topic renewed (extended, or created when
        they have none); the session can no longer be changed."""
        self._check_food_manager()
        self._check_food_state("planned")
        now = fields.Datetime.now()
        future = self.filtered(lambda s: s.date > now)
        if future:
            raise UserError(
                self.env._(
                    "Attendance is recorded once the session took place: %(sessions)s",
                    sessions=", ".join(future.mapped("name")),
                )
            )
        empty = self.filtered(lambda s: not s.attendance_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Add the attendees of the session first: %(sessions)s",
                    sessions=", ".join(empty.mapped("name")),
                )
            )
        self._renew_qualifications()
        self._write_food_trusted({"state": "done"})
        for session in self:
            users = session.attendance_ids.filtered("attended").user_id
            session.message_post(
                body=self.env._(
                    "Attendance recorded: training records renewed for %(users)s.",
                    users=", ".join(users.mapped("name")) or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_cancel(self):
        """Order center managers: the session will not take place."""
        self._check_food_manager()
        self._check_food_state("planned")
        self._write_food_trusted({"state": "cancelled"})
        return True

    def action_reset_planned(self):
        """Order center managers: plan a cancelled session again."""
        self._check_food_manager()
        self._check_food_state("cancelled")
        self._write_food_trusted({"state": "planned"})
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _get_food_training_dates(self):
        """The day of the session (in the user's time zone) and the expiry of
        the training it gives."""
        self.ensure_one()
        obtained = fields.Date.context_today(self, timestamp=self.date)
        return obtained, obtained + relativedelta(months=self.validity_months)

    def _renew_qualifications(self):
        """Renew the training record of the topic of each attendee marked
        attended: the latest record of the type in the session's company is
        extended (obtained on the day of the session, valid for the
        session's validity, never shortened); a new record is created for
        those who have none. One search for all the sessions.

        :return: the renewed and created food.staff.qualification
        """
        Qualification = self.env["food.staff.qualification"]
        lines = self.attendance_ids.filtered("attended")
        if not lines:
            return Qualification
        # ordered by expiry, latest first: the first of each key is renewed
        latest = {}
        for record in Qualification.search(
            [
                ("user_id", "in", lines.user_id.ids),
                ("qualification_type", "in", list(set(self.mapped("topic")))),
                ("company_id", "in", self.company_id.ids),
            ]
        ):
            key = (record.user_id.id, record.qualification_type, record.company_id.id)
            latest.setdefault(key, record)
        renewals = {}
        for session in self.sorted(lambda s: (s.date, s.id)):
            obtained, expiry = session._get_food_training_dates()
            for line in session.attendance_ids.filtered("attended"):
                key = (line.user_id.id, session.topic, session.company_id.id)
                record = latest.get(key, Qualification)
                renewal = renewals.setdefault(
                    key,
                    {
                        "record": record,
                        "session": session,
                        "date_expiry": record.date_expiry or expiry,
                    },
                )
                renewal.update(
                    session=session,
                    date_obtained=obtained,
                    date_expiry=max(renewal["date_expiry"], expiry),
                )
        to_write = {}
        to_create = []
        for (user_id, topic, company_id), renewal in renewals.items():
            dates = {
                "date_obtained": renewal["date_obtained"],
                "date_expiry": renewal["date_expiry"],
            }
            if renewal["record"]:
                key = tuple(dates.values())
                to_write.setdefault(key, [Qualification, dates])
                to_write[key][0] |= renewal["record"]
            else:
                to_create.append(
                    {
                        "name": renewal["session"].name,
                        "user_id": user_id,
                        "qualification_type": topic,
                        "company_id": company_id,
                        "note": self.env._(
                            "Training session: %(session)s",
                            session=renewal["session"].name,
                        ),
                        **dates,
                    }
                )
        renewed = Qualification
        for records, dates in to_write.values():
            records.write(dates)
            renewed |= records
        # the reminders of the old expiry are answered by the renewal
        renewed.activity_feedback(
            ["food_order_center.mail_activity_type_qualification_expiry"],
            feedback=self.env._("Renewed by a training session."),
        )
        return renewed | Qualification.create(to_create)

    @api.model
    def _get_food_mail_fields(self):
        """Fields the chatter and the activities write on any session."""
        return set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )

    def _check_food_not_done(self):
        done = self.filtered(lambda s: s.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "The attendance of these training sessions is recorded and "
                    "renewed the training records: they can no longer be "
                    "changed or deleted: %(sessions)s",
                    sessions=", ".join(done.mapped("name")),
                )
            )

    def _check_food_manager(self):
        if not self.env.user.has_group("food_order_center.group_order_center_manager"):
            raise AccessError(
                self.env._(
                    "Only order center managers plan training sessions and "
                    "record their attendance."
                )
            )

    def _check_food_state(self, state):
        wrong = self.filtered(lambda s: s.state != state)
        if wrong:
            label = dict(self._fields["state"]._description_selection(self.env))[state]
            raise UserError(
                self.env._(
                    "This needs training sessions in state %(state)s: %(sessions)s",
                    state=label,
                    sessions=", ".join(wrong.mapped("name")),
                )
            )
