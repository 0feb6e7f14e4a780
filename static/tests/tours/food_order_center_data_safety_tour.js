/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The order center manager runs the integrity check, which lists the order
// changed in the database, then opens the audit trail and the entry of a
// quantity corrected through the order center. Data comes from
// tests/test_tour_data_safety.py. No step matches translated text.

import {registry} from "@web/core/registry";

const APP = '.o_app[data-menu-xmlid="food_order_center.menu_order_center_root"]';
const CONFIG_MENU = '[data-menu-xmlid="food_order_center.menu_order_center_config"]';
const AUDIT_MENU = '[data-menu-xmlid="food_order_center.food_audit_log_menu"]';
const FORM = ".o_action_manager .o_form_view";

registry.category("web_tour.tours").add("food_order_center_data_safety", {
    steps: () => [
        {
            content: "Check the integrity of the confirmed orders",
            trigger: `${FORM} button[name=action_check]`,
            run: "click",
        },
        {
            content: "The order changed in the database is listed",
            trigger: `${FORM} .alert-danger`,
        },
        {
            trigger: `${FORM} .o_field_widget[name=line_ids] .o_data_row td[name=order_ref]:contains(SO-TOUR-SEAL-02)`,
        },
        {
            content: "The order changed through the order center is not",
            trigger: `${FORM} .o_field_widget[name=line_ids]:not(:has(td:contains(SO-TOUR-SEAL-01)))`,
        },
        {
            content: "Open Configuration > Audit Trail",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {trigger: `.dropdown-menu ${APP}`, run: "click"},
        {trigger: `.o_menu_sections ${CONFIG_MENU}`, run: "click"},
        {trigger: `.dropdown-menu ${AUDIT_MENU}`, run: "click"},
        {
            content: "Search the corrected order",
            trigger: ".o_searchview_input",
            run: "edit SO-TOUR-SEAL-01",
        },
        {trigger: ".o_searchview_autocomplete .o_menu_item:first", run: "click"},
        {trigger: ".o_searchview_facet .o_facet_value:contains(SO-TOUR-SEAL-01)"},
        {
            content: "Open the entry of the quantity corrected",
            trigger: ".o_list_view .o_data_row:has(td[name=user_id]:contains(Tour Seal Manager)) td[name=res_name]:contains(Tour Seal Rice)",
            run: "click",
        },
        {
            content: "The quantity, before and after",
            trigger: `${FORM} .o_field_widget[name=line_ids] .o_data_row:has(td[name=old_value]:contains(4.0)):has(td[name=new_value]:contains(3.0))`,
        },
    ],
});
