# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

STORAGE_CONDITIONS = [
    ("ambient", "Ambient"),
    ("chilled", "Chilled"),
    ("frozen", "Frozen"),
]


class ProductCategory(models.Model):
    _inherit = "product.category"

    food_storage_condition = fields.Selection(
        STORAGE_CONDITIONS,
        string="Storage Condition",
        help="How the food of this category is stored and shipped; the "
        "pre-shipment check requires one of the allowed package types.",
    )
    food_min_shelf_life_days = fields.Integer(
        string="Minimum Remaining Shelf Life (days)",
        help="Each lot shipped must keep at least this many days before its "
        "expiration date on the requested delivery date (pre-shipment check).",
    )
    food_package_type_ids = fields.Many2many(
        "stock.package.type",
        "product_category_food_package_type_rel",
        "categ_id",
        "package_type_id",
        string="Allowed Package Types",
        help="Package types suited to the storage condition (e.g. insulated "
        "box with ice packs for chilled food). When set, the goods of this "
        "category ship only in packages of these types.",
    )
    # Return policy (R18)
    food_return_days = fields.Integer(
        string="Return Window (days)",
        default=7,
        help="A return of this food is accepted up to this many days after "
        "its delivery; 0: returns are not accepted.",
    )
    food_perishable = fields.Boolean(
        string="Perishable",
        help="Perishable food is taken back only for a quality problem.",
    )
    food_return_evidence = fields.Boolean(
        string="Evidence Required for Returns",
        help="A return is accepted only with evidence attached to the return "
        "or its case (photos of the goods and the label).",
    )

    _sql_constraints = [
        (
            "food_min_shelf_life_days_positive",
            "CHECK(food_min_shelf_life_days >= 0)",
            "The minimum remaining shelf life cannot be negative.",
        ),
        (
            "food_return_days_positive",
            "CHECK(food_return_days >= 0)",
            "The return window cannot be negative.",
        ),
    ]
