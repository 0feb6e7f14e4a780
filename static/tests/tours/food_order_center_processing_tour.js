/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The order processor: My Orders, re-check, a stock-out solved with a
// substitute, and the delivery validated. Data comes from
// tests/test_tour_processing.py.

import {registry} from "@web/core/registry";

const APP = '.o_app[data-menu-xmlid="food_order_center.menu_order_center_root"]';
const ORDERS_MENU = '[data-menu-xmlid="food_order_center.menu_order_center_orders"]';
const MY_ORDERS_MENU = '[data-menu-xmlid="food_order_center.sale_order_menu_my_orders"]';
const FORM = ".o_action_manager .o_form_view";
const LINES = `${FORM} .o_field_widget[name=order_line]`;

registry.category("web_tour.tours").add("food_order_center_processing", {
    steps: () => [
        {
            content: "Open the Order Center app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {trigger: `.dropdown-menu ${APP}`, run: "click"},
        {
            content: "Open Orders > My Orders",
            trigger: `.o_menu_sections ${ORDERS_MENU}`,
            run: "click",
        },
        {trigger: `.dropdown-menu ${MY_ORDERS_MENU}`, run: "click"},
        {
            content: "Open the order assigned to me",
            trigger: ".o_list_view .o_data_row td:contains(Tour Processing Canteen)",
            run: "click",
        },
        {
            content: "Re-check the order against the stock",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_recheck]`,
            run: "click",
        },
        {
            content: "The re-check tells what changed since entry",
            trigger: ".o_notification:contains(Tour Pork Buns)",
        },
        {
            content: "Handle the stock-out of the pork buns",
            trigger: `${LINES} .o_data_row:contains(Tour Pork Buns) button[name=action_open_stock_out_wizard]`,
            run: "click",
        },
        {
            content: "The customer accepts a substitute",
            trigger: ".modal .o_field_widget[name=option] input[data-value=substitute]",
            run: "click",
        },
        {
            content: "The substitute of the same kind, in stock, is proposed",
            trigger: ".modal .o_field_widget[name=substitute_id] input:value(Tour Veggie Buns)",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Customer agreed on the phone",
        },
        {
            trigger: ".modal .modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "The substitute is on the order",
            trigger: `${LINES} .o_data_row:contains(Tour Veggie Buns)`,
        },
        {
            content: "Open the delivery",
            trigger: `${FORM} button[name=action_view_delivery]`,
            run: "click",
        },
        {
            content: "Run the pre-shipment check",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_food_preship_check]`,
            run: "click",
        },
        {
            content: "The goods can ship",
            trigger: ".o_notification:has(.o_notification_bar.bg-success)",
        },
        {
            content: "Validate the picking",
            trigger: `${FORM} .o_statusbar_buttons button[name=button_validate]:not(.d-none)`,
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: `${FORM} .o_statusbar_status button[data-value=done].o_arrow_button_current`,
        },
    ],
});
