# Copyright 2026 food_order_center contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Food Order Center",
    "summary": "Order center for a food company: intake, verification, "
    "processing, fulfilment, after-sales and KPIs",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "food_order_center contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "sale_management",
        "sale_stock",
        "stock_delivery",
        "product_expiry",
        "sms",
        "helpdesk_mgmt",
    ],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/food_order_center_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/mail_alias_data.xml",
        "data/mail_template_data.xml",
        "wizards/food_order_confirm_wizard_views.xml",
        "wizards/food_phone_order_wizard_views.xml",
        "views/food_sales_platform_views.xml",
        "views/sale_order_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/food_sales_platform_demo.xml",
        "demo/stock_warehouse_demo.xml",
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/delivery_carrier_demo.xml",
        "demo/sale_order_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "food_order_center/static/tests/tours/*.js",
        ],
    },
}
