# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .food_audit_log import DEFAULT_RETENTION_DAYS, RETENTION_PARAM
from .food_backup import DEFAULT_KEEP, DIR_PARAM, KEEP_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    food_price_tolerance = fields.Float(
        related="company_id.food_price_tolerance", readonly=False
    )
    food_duplicate_window_hours = fields.Integer(
        related="company_id.food_duplicate_window_hours", readonly=False
    )
    food_clarification_hours = fields.Integer(
        related="company_id.food_clarification_hours", readonly=False
    )
    food_intake_queue_size = fields.Integer(
        related="company_id.food_intake_queue_size", readonly=False
    )
    food_urgent_notify_user_ids = fields.Many2many(
        related="company_id.food_urgent_notify_user_ids", readonly=False
    )
    food_custom_notify_user_ids = fields.Many2many(
        related="company_id.food_custom_notify_user_ids", readonly=False
    )
    food_order_alias_name = fields.Char(
        string="Order E-mail Alias",
        related="company_id.food_order_alias_id.alias_name",
        readonly=False,
    )
    food_order_alias_domain = fields.Char(
        related="company_id.food_order_alias_id.alias_domain", readonly=True
    )
    food_auto_assign = fields.Boolean(
        related="company_id.food_auto_assign", readonly=False
    )
    food_complex_line_count = fields.Integer(
        related="company_id.food_complex_line_count", readonly=False
    )
    food_complex_amount = fields.Monetary(
        related="company_id.food_complex_amount", readonly=False
    )
    food_complex_experience_level = fields.Selection(
        related="company_id.food_complex_experience_level", readonly=False
    )
    food_qualification_reminder_days = fields.Integer(
        related="company_id.food_qualification_reminder_days", readonly=False
    )
    food_substitute_price_tolerance = fields.Float(
        related="company_id.food_substitute_price_tolerance", readonly=False
    )
    food_carrier_silence_hours = fields.Integer(
        related="company_id.food_carrier_silence_hours", readonly=False
    )
    food_compensation_approval_amount = fields.Monetary(
        related="company_id.food_compensation_approval_amount", readonly=False
    )
    food_management_report_period = fields.Selection(
        related="company_id.food_management_report_period", readonly=False
    )
    food_management_report_user_ids = fields.Many2many(
        related="company_id.food_management_report_user_ids", readonly=False
    )
    # backups are of the whole database: the administrator's, not a role's
    food_backup_dir = fields.Char(
        string="Backup Directory",
        config_parameter=DIR_PARAM,
        groups="base.group_system",
        help="Where the daily job writes a backup of the database (its data "
        "and its files, one zip archive named with the date and time); "
        "empty: no daily backup.",
    )
    food_backup_keep = fields.Integer(
        string="Backups Kept",
        config_parameter=KEEP_PARAM,
        default=DEFAULT_KEEP,
        groups="base.group_system",
        help="How many archives of the database the daily job keeps in the "
        "directory; it deletes the older ones.",
    )

    food_audit_retention_days = fields.Integer(
        string="Audit Trail Kept (Days)",
        config_parameter=RETENTION_PARAM,
        default=DEFAULT_RETENTION_DAYS,
        groups="base.group_system",
        help="How long the audit trail keeps who changed what; each day, a "
        "job removes the entries older than this. China's E-commerce Law "
        "asks for three years of transaction records.",
    )

    def _food_positive_settings(self):
        """{field: error} of the data-safety settings that must be at least 1."""
        _ = self.env._
        return {
            "food_backup_keep": _("Keep at least one backup of the database."),
            "food_audit_retention_days": _(
                "The audit trail is kept at least one day; three years "
                "(1095 days) is the legal minimum for transaction records."
            ),
        }

    @api.constrains("food_backup_keep", "food_audit_retention_days")
    def _check_food_positive_settings(self):
        for settings in self.sudo():
            for fname, error in self._food_positive_settings().items():
                if settings[fname] < 1:
                    raise ValidationError(error)

    def set_values(self):
        directory = self.sudo().food_backup_dir
        if directory and not os.path.isabs(directory):
            raise ValidationError(
                self.env._(
                    "The backup directory must be an absolute path on the "
                    "server, e.g. /var/backups/odoo."
                )
            )
        return super().set_values()
