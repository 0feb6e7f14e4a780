/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The order center manager opens the Dashboards app, picks the Order Center
// dashboard in its side panel and sees its scorecards and charts drawn.
// Data comes from tests/test_tour_dashboard.py. The web client may be in
// Chinese: no step matches English text. The side panel names the
// dashboards only, in the user's language: the step that picks ours asks
// the server for that name, then clicks the entry carrying it. The grid and
// the charts are drawn on canvases: the last step reads the cells and charts
// from the dashboard's spreadsheet model.

import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";
import {user} from "@web/core/user";

const APP = '.o_app[data-menu-xmlid="spreadsheet_dashboard.spreadsheet_dashboard_menu_root"]';
const ACTION = ".o_action_manager .o_spreadsheet_dashboard_action";
const PANEL = `${ACTION} .o_spreadsheet_dashboard_search_panel`;
const figure = (id) => `${ACTION} .o-spreadsheet .o-figure[data-id="${id}"]`;

async function orderCenterDashboardName() {
    const call = (method, args, context) =>
        rpc(`/web/dataset/call_kw/spreadsheet.dashboard/${method}`, {
            model: "spreadsheet.dashboard",
            method,
            args,
            kwargs: {context},
        });
    // found by its source name (what the module's data file sets), shown
    // under its name in the user's language
    const ids = await call("search", [[["name", "=", "Order Center"]]], {
        ...user.context,
        lang: "en_US",
    });
    if (ids.length !== 1) {
        throw new Error(`Expected one Order Center dashboard, got ${ids.length}`);
    }
    const [{display_name}] = await call("read", [ids, ["display_name"]], user.context);
    return display_name;
}

/** The spreadsheet model of the dashboard on screen. */
function dashboardModel() {
    const find = (node) => {
        const dashboard = node.component?.state?.activeDashboard;
        if (dashboard?.model) {
            return dashboard.model;
        }
        for (const child of Object.values(node.children)) {
            const model = find(child);
            if (model) {
                return model;
            }
        }
        return null;
    };
    return find(odoo.__WOWL_DEBUG__.root.__owl__);
}

/**
 * Once its data is loaded, no cell of the dashboard is an error (a field,
 * measure or pivot that does not exist, a failed query), the KPIs count the
 * order of the test and the volume chart draws it.
 */
async function checkDashboardData() {
    const model = dashboardModel();
    const {waitForDataLoaded} = odoo.loader.modules.get("@spreadsheet/helpers/model");
    await waitForDataLoaded(model);
    const getters = model.getters;
    const errors = [];
    for (const sheetId of getters.getSheetIds()) {
        for (const cellId of Object.keys(getters.getCells(sheetId))) {
            const position = getters.getCellPosition(cellId);
            const cell = getters.getEvaluatedCell(position);
            if (cell.type === "error") {
                errors.push(`${getters.getSheetName(sheetId)} ${position.col},${position.row}: ${cell.message}`);
            }
        }
    }
    if (errors.length) {
        throw new Error(`Cells in error: ${errors.join("; ")}`);
    }
    const [dataSheet] = getters.getSheetIds().slice(1);
    const orders = getters.getEvaluatedCell({sheetId: dataSheet, col: 1, row: 1}).value;
    if (!(orders >= 1)) {
        throw new Error(`The Orders KPI is ${orders}`);
    }
    const volume = getters.getChartRuntime("foc_chart_orders_per_week").chartJsConfig.data;
    if (!volume.datasets.length || !volume.datasets[0].data.some((count) => count >= 1)) {
        throw new Error(`The volume chart is empty: ${JSON.stringify(volume)}`);
    }
}

registry.category("web_tour.tours").add("food_order_center_dashboard", {
    steps: () => [
        {
            content: "Open the Dashboards app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {trigger: `.dropdown-menu ${APP}`, run: "click"},
        {
            content: "Open the Order Center dashboard",
            trigger: `${PANEL} .o_search_panel_category_value`,
            async run(helpers) {
                const name = await orderCenterDashboardName();
                await helpers.click(
                    `${PANEL} .o_search_panel_category_value[data-name=${JSON.stringify(name)}]`
                );
            },
        },
        {
            content: "The scorecards are drawn",
            trigger: `${figure("foc_kpi_orders")} canvas.o-scorecard`,
        },
        {trigger: `${figure("foc_kpi_amount")} canvas.o-scorecard`},
        {trigger: `${figure("foc_kpi_on_time")} canvas.o-scorecard`},
        {trigger: `${figure("foc_kpi_repeat_rate")} canvas.o-scorecard`},
        {trigger: `${figure("foc_kpi_complaints")} canvas.o-scorecard`},
        {
            content: "The charts are drawn",
            trigger: `${figure("foc_chart_orders_per_week")} canvas`,
        },
        {trigger: `${figure("foc_chart_orders_by_stage")} canvas`},
        {
            content: "The dashboard's filters are offered",
            trigger: ".o_control_panel .o_filter_value_container",
        },
        {
            content: "No loading error",
            trigger: `${ACTION}:not(:has(.dashboard-loading-status))`,
        },
        {
            content: "Every cell and chart has its data",
            trigger: `${figure("foc_chart_orders_per_week")} canvas`,
            run: checkDashboardData,
        },
    ],
});
