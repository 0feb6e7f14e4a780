/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The order center manager opens Configuration > Training Sessions, plans a
// session, invites a processor, ticks them as attended and records the
// attendance. Data comes from tests/test_tour_training.py. The web client
// may be in Chinese: no step matches English text.

import {registry} from "@web/core/registry";

const APP = '.o_app[data-menu-xmlid="food_order_center.menu_order_center_root"]';
const CONFIG_MENU = '[data-menu-xmlid="food_order_center.menu_order_center_config"]';
const SESSIONS_MENU = '[data-menu-xmlid="food_order_center.food_training_session_menu"]';
const FORM = ".o_action_manager .o_form_view";
const LINES = `${FORM} .o_field_widget[name=attendance_ids]`;
const TRAINEE = "Tour Training Trainee";

registry.category("web_tour.tours").add("food_order_center_training_session", {
    steps: () => [
        {
            content: "Open the Order Center app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {trigger: `.dropdown-menu ${APP}`, run: "click"},
        {
            content: "Open Configuration > Training Sessions",
            trigger: `.o_menu_sections ${CONFIG_MENU}`,
            run: "click",
        },
        {trigger: `.dropdown-menu ${SESSIONS_MENU}`, run: "click"},
        {
            content: "Plan a new session",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name=name] input`,
            run: "edit Tour food safety refresher",
        },
        {
            content: "Invite the processor",
            trigger: `${LINES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            trigger: `${LINES} .o_data_row .o_field_widget[name=user_id] input`,
            run: `edit ${TRAINEE}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item > a:contains(${TRAINEE})`,
            run: "click",
        },
        {
            content: "The processor attended",
            trigger: `${LINES} .o_data_row .o_field_widget[name=attended] input[type=checkbox]`,
            run: "click",
        },
        {trigger: `${LINES} .o_data_row .o_field_widget[name=attended] input:checked`},
        {
            content: "Record the attendance",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_done]`,
            run: "click",
        },
        {
            content: "The session is done",
            trigger: `${FORM} .o_field_widget[name=state] button[data-value=done].o_arrow_button_current`,
        },
        {
            content: "It can no longer be changed",
            trigger: `${FORM} .o_form_statusbar:not(:has(button[name=action_done]))`,
        },
        {trigger: `${FORM} .o_field_widget[name=name]:not(:has(input))`},
    ],
});
