/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// Tours of the Order Center app; data comes from tests/test_tour.py.

import {registry} from "@web/core/registry";

const APP = '.o_app[data-menu-xmlid="food_order_center.menu_order_center_root"]';
// Community's apps menu is a dropdown of the navbar
const openApp = (content) => [
    {content, trigger: ".o_navbar_apps_menu button", run: "click"},
    {trigger: `.dropdown-menu ${APP}`, run: "click"},
];
const ORDER = "Tour Customer";

registry.category("web_tour.tours").add("food_order_center_manager_views", {
    steps: () => [
        ...openApp("Open the Order Center app"),
        {
            content: "The kanban is grouped by order-center stage (empty stages shown)",
            trigger: ".o_kanban_view .o_kanban_group:nth-child(3) .o_column_title",
        },
        {
            content: "Urgent and custom orders are marked on their card",
            trigger: `.o_kanban_record:contains(${ORDER}) .o_food_urgent_badge`,
        },
        {trigger: `.o_kanban_record:contains(${ORDER}) .o_food_custom_badge`},
        {content: "Switch to the list", trigger: "button.o_switch_view.o_list", run: "click"},
        {trigger: `.o_list_view .o_data_row:contains(${ORDER})`},
        {
            content: "Switch to the calendar of requested deliveries",
            trigger: "button.o_switch_view.o_calendar",
            run: "click",
        },
        {trigger: ".o_calendar_view .o_calendar_renderer"},
        {content: "Back to the list", trigger: "button.o_switch_view.o_list", run: "click"},
        {
            content: "Open the order",
            trigger: `.o_list_view .o_data_row:contains(${ORDER}) td[name=partner_id]`,
            run: "click",
        },
        {content: "The order is flagged urgent", trigger: ".o_form_view .ribbon"},
        {trigger: ".o_form_view .o_field_widget[name=order_center_stage] span:not(:empty)"},
        {trigger: ".o_form_view .o_field_widget[name=intake_channel]"},
        {trigger: ".o_form_view .o_field_widget[name=urgency]"},
        {trigger: ".o_form_view .o_field_widget[name=is_custom_order] input:checked"},
        {
            content: "Custom requirements are shown",
            trigger: ".o_form_view .o_field_widget[name=custom_requirements] textarea:value(Tour requirements: no MSG)",
        },
        {
            content: "The manager can assign a processor",
            trigger: ".o_form_view .o_field_widget[name=processor_id] input",
        },
    ],
});

const SECTIONS = {
    orders: "food_order_center.menu_order_center_orders",
    operations: "food_order_center.menu_order_center_operations",
    aftersales: "food_order_center.menu_order_center_aftersales",
    reporting: "food_order_center.menu_order_center_reporting",
    config: "food_order_center.menu_order_center_config",
};

const ROLE_SECTIONS = {
    receiver: ["orders"],
    processor: ["orders", "operations"],
    // Reporting: the inventory turnover only
    inventory: ["orders", "operations", "reporting"],
    // Reporting: the carrier scorecard only
    logistics: ["orders", "operations", "reporting", "config"],
    // Reporting: the after-sales analysis only
    aftersales: ["orders", "aftersales", "reporting"],
    manager: ["orders", "operations", "aftersales", "reporting", "config"],
};

function menuSteps(role, shown) {
    const steps = [
        ...openApp(`${role}: open the Order Center app`),
        {trigger: `.o_menu_sections [data-menu-xmlid="${SECTIONS.orders}"]`},
    ];
    for (const [key, xmlid] of Object.entries(SECTIONS)) {
        const selector = `.o_menu_sections [data-menu-xmlid="${xmlid}"]`;
        steps.push(
            shown.includes(key)
                ? {content: `${role} sees ${key}`, trigger: selector}
                : {content: `${role} does not see ${key}`, trigger: `body:not(:has(${selector}))`}
        );
    }
    // The processor's work queue
    const myOrders = '[data-menu-xmlid="food_order_center.sale_order_menu_my_orders"]';
    steps.push({trigger: `.o_menu_sections [data-menu-xmlid="${SECTIONS.orders}"]`, run: "click"});
    steps.push(
        ["processor", "manager"].includes(role)
            ? {content: `${role} has My Orders`, trigger: `.dropdown-menu ${myOrders}`}
            : {
                  content: `${role} has no My Orders`,
                  trigger: `.dropdown-menu:has([data-menu-xmlid="food_order_center.sale_order_menu_order_center"]):not(:has(${myOrders}))`,
              }
    );
    return steps;
}

for (const [role, shown] of Object.entries(ROLE_SECTIONS)) {
    registry.category("web_tour.tours").add(`food_order_center_menus_${role}`, {
        steps: () => menuSteps(role, shown),
    });
}
