# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from .food_audit_log import SKIPPED_FIELDS, SKIPPED_PREFIXES

# types whose values are no text to compare (files, structured data)
UNAUDITED_TYPES = frozenset({"one2many", "binary", "json", "properties"})


class FoodAuditedMixin(models.AbstractModel):
    """Records whose changes go to the audit trail (``food.audit.log``).

    ``create``, ``write`` and ``unlink`` write one entry per record, with the
    fields' values as text before and after (on create: the values given; on
    unlink: every audited value). Inherited after the model
    (``_inherit = ["sale.order", "food.audited.mixin"]``), its overrides run
    last, around the ORM's own: what they see is what reaches the database,
    whatever the path (web client, RPC, import, the addon's own actions)."""

    _name = "food.audited.mixin"
    _description = "Order Center: changes kept in the audit trail"

    # the path to the order the record belongs to, if any ("order_id",
    # "case_id.food_order_id")
    _food_audit_order_field = None

    @api.model
    def _is_food_audited_field(self, field):
        """Stored values that a user, an import or a call sets: not the
        computed ones (unless editable), nor the ORM's and chatter's own."""
        return (
            field.store
            and field.type not in UNAUDITED_TYPES
            and (not field.compute or not field.readonly)
            and field.name not in SKIPPED_FIELDS
            and not field.name.startswith(SKIPPED_PREFIXES)
        )

    @api.model
    @tools.ormcache()
    def _food_audit_field_names(self):
        return frozenset(
            name
            for name, field in self._fields.items()
            if self._is_food_audited_field(field)
        )

    def _food_audited_records(self):
        """The records of ``self`` whose changes are audited."""
        return self

    def _food_audit_order(self):
        """The order the record belongs to (empty: none)."""
        self.ensure_one()
        field = self._food_audit_order_field
        return self.mapped(field) if field else self.env["sale.order"]

    def _food_audit_company(self):
        self.ensure_one()
        return self.company_id if "company_id" in self._fields else self.env.company

    def _food_audit_values(self, names):
        """{record id: {field name: value as text}}, as the database holds
        them now (the records read as superuser: the trail is complete
        whatever the user may read)."""
        records = self.sudo()
        texts = {}
        for name in names:
            field = self._fields[name]
            labels = (
                dict(field._description_selection(self.env))
                if field.type == "selection"
                else None
            )
            for record in records:
                value = record[name]
                if labels is not None:
                    text = labels.get(value, value) if value else ""
                elif field.type == "many2one":
                    text = value.display_name if value else ""
                elif field.type == "many2many":
                    text = ", ".join(value.mapped("display_name"))
                elif field.type == "boolean":
                    text = "✓" if value else "✗"
                elif field.type == "datetime":
                    # as stored: UTC
                    text = fields.Datetime.to_string(value) or ""
                elif value is False or value is None:
                    text = ""
                else:
                    text = str(value)
                texts.setdefault(record.id, {})[name] = text
        return texts

    def _food_write_audit(self, operation, changes):
        self.env["food.audit.log"].sudo()._food_note_entries(
            self.sudo(), operation, changes
        )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        audited = records._food_audited_records()
        if audited:
            names = self._food_audit_field_names()
            given = {
                record.id: names.intersection(vals)
                for record, vals in zip(records, vals_list, strict=True)
            }
            values = audited._food_audit_values(set().union(*given.values()))
            audited._food_write_audit(
                "create",
                {
                    record.id: [
                        (name, "", values[record.id][name])
                        for name in sorted(given[record.id])
                        if values[record.id][name]
                    ]
                    for record in audited
                },
            )
        return records

    def write(self, vals):
        names = self._food_audit_field_names().intersection(vals)
        audited = self._food_audited_records() if names else self.browse()
        if not audited:
            return super().write(vals)
        # records created in the transaction: their creation entry takes
        # the new values, the old ones are not needed
        created = self.env["food.audit.log"].sudo()._food_pending_creations(audited)
        before = (audited - created)._food_audit_values(names)
        res = super().write(vals)
        after = audited._food_audit_values(names)
        changes = {
            record_id: [
                (name, old[name], after[record_id][name])
                for name in sorted(names)
                if old[name] != after[record_id][name]
            ]
            for record_id, old in before.items()
        }
        changes.update(
            {
                record_id: [(name, None, after[record_id][name]) for name in names]
                for record_id in created.ids
            }
        )
        audited._food_write_audit("write", changes)
        return res

    def unlink(self):
        audited = self._food_audited_records()
        if audited:
            before = audited._food_audit_values(self._food_audit_field_names())
            audited._food_write_audit(
                "unlink",
                {
                    record_id: [
                        (name, text, "") for name, text in sorted(old.items()) if text
                    ]
                    for record_id, old in before.items()
                },
            )
        return super().unlink()
