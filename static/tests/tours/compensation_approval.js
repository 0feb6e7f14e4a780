/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The order center manager opens After-sales > Compensations (filtered on
// those to approve), opens the one waiting and approves it. Data comes from
// tests/test_tour_compensation.py. The web client may be in Chinese: no step
// matches English text.

import {registry} from "@web/core/registry";

const APP = '.o_app[data-menu-xmlid="food_order_center.menu_order_center_root"]';
const AFTERSALES_MENU = '[data-menu-xmlid="food_order_center.menu_order_center_aftersales"]';
const COMPENSATIONS_MENU = '[data-menu-xmlid="food_order_center.food_case_compensation_menu"]';
const CUSTOMER = "Tour Compensation Canteen";
const FORM = ".o_action_manager .o_form_view";

registry.category("web_tour.tours").add("food_order_center_compensation_approval", {
    steps: () => [
        {
            content: "Open the Order Center app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {trigger: `.dropdown-menu ${APP}`, run: "click"},
        {
            content: "Open After-sales > Compensations",
            trigger: `.o_menu_sections ${AFTERSALES_MENU}`,
            run: "click",
        },
        {trigger: `.dropdown-menu ${COMPENSATIONS_MENU}`, run: "click"},
        {
            content: "Only the compensation to approve is listed",
            trigger: ".o_list_view .o_data_row:only-child td[name=state]",
        },
        {
            content: "Open it",
            trigger: `.o_list_view .o_data_row td[name=partner_id]:contains(${CUSTOMER})`,
            run: "click",
        },
        {
            content: "Approve it",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_approve]`,
            run: "click",
        },
        {
            content: "It is approved",
            trigger: `${FORM} .o_field_widget[name=state] button[data-value=approved].o_arrow_button_current`,
        },
        {trigger: `${FORM} .o_field_widget[name=approved_by_id]:not(:empty)`},
    ],
});
