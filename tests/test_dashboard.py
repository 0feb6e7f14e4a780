# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Order Center dashboard of the Dashboards app
(data/files/food_order_center_dashboard.json): shown to the managers only;
every pivot, chart, list, formula and global filter in it names models,
fields, measures and group-bys that exist, and its queries run as a manager
(so that renaming a field of the analysis models breaks a test, not the
dashboard); on a crafted set of orders its queries give the numbers worked
out by hand, cancelled orders and exchanges left out."""

import json
import re
import xmlrpc.client
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, get_db_name, tagged
from odoo.tests.common import JsonRpcException, Transport
from odoo.tools import file_open
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import code_translations

from odoo.addons.spreadsheet.utils.validate_data import fields_in_spreadsheet

from .common import ROLE_GROUPS, create_role_users

DASHBOARD = "food_order_center.spreadsheet_dashboard_order_center"
DASHBOARD_GROUP = "food_order_center.spreadsheet_dashboard_group_order_center"
JSON_PATH = "food_order_center/data/files/food_order_center_dashboard.json"


def web_translations(module):
    """{English: zh_CN} of the texts that ``module`` sends to the browser."""
    return {
        message["id"]: message["string"]
        for message in code_translations.get_web_translations(module, "zh_CN")[
            "messages"
        ]
    }


# what the figures of the dashboard are (their ids are what the tour waits for)
SCORECARDS = {
    "foc_kpi_orders",
    "foc_kpi_amount",
    "foc_kpi_basket",
    "foc_kpi_new_customers",
    "foc_kpi_repeat_rate",
    "foc_kpi_orders_per_customer",
    "foc_kpi_on_time",
    "foc_kpi_verify_hours",
    "foc_kpi_lead_hours",
    "foc_kpi_exceptions",
    "foc_kpi_stock_outs",
    "foc_kpi_complaints",
}
CHARTS = {
    "foc_chart_orders_per_week",
    "foc_chart_orders_by_stage",
    "foc_chart_on_time_per_month",
    "foc_chart_exceptions_per_month",
}
# the days of the relative periods of a date filter (spreadsheet's
# getRelativeDateDomain)
RELATIVE_DAYS = {
    "last_week": 7,
    "last_month": 30,
    "last_three_months": 90,
    "last_six_months": 180,
    "last_year": 365,
    "last_three_years": 3 * 365,
}
CUSTOMER_ORDERS = [
    "&",
    ["is_cancelled", "=", False],
    ["channel", "!=", "exchange"],
]
FORMULA = re.compile(r"(PIVOT\.VALUE|PIVOT\.HEADER|ODOO\.LIST)\(([^()]*)\)")
REFERENCE = re.compile(r"^(\w+)!([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$")


def load_dashboard_file():
    with file_open(JSON_PATH) as dashboard_file:
        return json.load(dashboard_file)


def formula_args(text):
    """The arguments of a formula call: quoted strings unquoted, others
    as written (pivot ids, positions)."""
    return [
        arg.strip()[1:-1] if arg.strip().startswith('"') else arg.strip()
        for arg in re.findall(r'"[^"]*"|[^,]+', text)
    ]


def measure_spec(measure):
    """The read_group aggregate the spreadsheet asks for a pivot measure
    (spreadsheet/static/src/pivot/pivot_model.js, _getMeasureSpecs)."""
    if measure["fieldName"] == "__count":
        return "__count"
    name, aggregator = measure["fieldName"], measure["aggregator"]
    return f"{name}_{aggregator}_id:{aggregator}({name})"


def measure_key(measure):
    if measure["fieldName"] == "__count":
        return "__count"
    return f"{measure['fieldName']}_{measure['aggregator']}_id"


def dimension(dim):
    """A pivot row or column as a read_group group-by ("date:month")."""
    if dim.get("granularity"):
        return f"{dim['fieldName']}:{dim['granularity']}"
    return dim["fieldName"]


def evaluate(sheet, xc, pivot_values):
    """The value of a cell of the Data sheet, for the few functions its KPI
    formulas use (PIVOT.VALUE without group-by, IF, ISNUMBER, IFERROR
    around a division), with the given values of the pivots' measures."""
    content = sheet["cells"][xc]["content"]
    if not content.startswith("="):
        return content
    expression = content[1:]
    fallback = None
    iferror = re.fullmatch(r'IFERROR\((.*),"([^"]*)"\)', expression)
    if iferror:
        expression, fallback = iferror.groups()
    expression = re.sub(
        r'PIVOT\.VALUE\((\w+),"([^"]+)"\)',
        # an empty aggregate (False from read_group) is an empty cell
        lambda m: repr(
            pivot_values[m[1]][m[2]] if pivot_values[m[1]][m[2]] is not False else ""
        ),
        expression,
    )
    expression = re.sub(r"\b([A-Z]+\d+)\b", r"cell('\1')", expression)
    expression = expression.replace("ISNUMBER(", "isnumber(").replace("IF(", "if_(")
    context = {
        "cell": lambda ref: evaluate(sheet, ref, pivot_values),
        "isnumber": lambda value: isinstance(value, int | float),
        "if_": lambda condition, then, otherwise: then if condition else otherwise,
    }
    try:
        return safe_eval(expression, context)
    except ZeroDivisionError:
        if fallback is None:
            raise
        return fallback


class DashboardCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env, "foc_dash")
        cls.manager = cls.users["manager"]
        cls.dashboard = cls.env.ref(DASHBOARD)
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls.filters = {f["id"]: f for f in cls.data["globalFilters"]}

    @classmethod
    def _odoo_charts(cls):
        return [
            figure
            for sheet in cls.data["sheets"]
            for figure in sheet["figures"]
            if figure["data"]["type"].startswith("odoo_")
        ]

    def _filter_domain(self, field_matching, filter_values=None):
        """The domain the global filters add to a data source with this
        field matching, with their default values (or the given ones), as
        the spreadsheet computes it for a user in UTC."""
        filter_values = filter_values or {}
        domain = []
        for filter_id, matching in field_matching.items():
            gfilter = self.filters[filter_id]
            value = filter_values.get(filter_id, gfilter.get("defaultValue"))
            if not value:
                continue
            if gfilter["type"] == "relation":
                domain.append((matching["chain"], "in", value))
                continue
            days = RELATIVE_DAYS[value]
            offset = matching.get("offset", 0)
            today = fields.Date.context_today(self.manager)
            start = today + timedelta(days=1 - days + days * offset)
            end = today + timedelta(days=days * offset)
            domain += [
                (matching["chain"], ">=", datetime.combine(start, time.min)),
                (matching["chain"], "<=", datetime.combine(end, time(23, 59, 59))),
            ]
        return domain

    def _pivot_groups(self, pivot, domain=(), groupby=None, filter_values=None):
        """The read_group a pivot of the dashboard makes, as a manager."""
        if groupby is None:
            groupby = [dimension(d) for d in pivot["rows"] + pivot["columns"]]
        orderby = ",".join(
            f"{dimension(d)} {d['order']}"
            for d in pivot["rows"] + pivot["columns"]
            if d.get("order") and dimension(d) in groupby
        )
        model = self.env[pivot["model"]].with_user(self.manager)
        return model.read_group(
            pivot["domain"]
            + self._filter_domain(pivot["fieldMatching"], filter_values)
            + list(domain),
            [measure_spec(m) for m in pivot["measures"]],
            groupby,
            orderby=orderby or None,
            lazy=False,
        )

    def _chart_groups(self, chart, domain=(), filter_values=None):
        """The web_read_group an Odoo chart of the dashboard makes, as a
        manager (web/static/src/views/graph/graph_model.js)."""
        definition = chart["data"]
        meta = definition["metaData"]
        model = self.env[meta["resModel"]].with_user(self.manager)
        measures = ["__count"]
        if meta["measure"] != "__count":
            field = model._fields[meta["measure"]]
            aggregator = (
                "count_distinct" if field.type == "many2one" else field.aggregator
            )
            measures.append(f"{meta['measure']}:{aggregator}")
        return model.with_context(fill_temporal=True).web_read_group(
            definition["searchParams"]["domain"]
            + self._filter_domain(definition["fieldMatching"], filter_values)
            + list(domain),
            measures,
            meta["groupBy"],
            lazy=False,
        )["groups"]

    def _list_records(self, list_definition, domain=(), filter_values=None):
        model = self.env[list_definition["model"]].with_user(self.manager)
        order = ", ".join(
            f"{o['name']} {'asc' if o['asc'] else 'desc'}"
            for o in list_definition["orderBy"]
        )
        return model.search_read(
            list_definition["domain"]
            + self._filter_domain(list_definition["fieldMatching"], filter_values)
            + list(domain),
            list_definition["columns"],
            order=order,
            limit=10,
        )


class TestOrderCenterDashboard(DashboardCommon):
    def test_dashboard_for_the_managers(self):
        group = self.env.ref(DASHBOARD_GROUP)
        self.assertEqual(self.dashboard.dashboard_group_id, group)
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(self.dashboard.group_ids, self.env.ref(ROLE_GROUPS["manager"]))
        # listed before the Sales dashboards: the one the app opens first
        sales = self.env.ref("spreadsheet_dashboard.spreadsheet_dashboard_group_sales")
        self.assertLess(group.sequence, sales.sequence)

    def _listed_dashboards(self, user):
        """The dashboards the Dashboards app lists for the user
        (dashboard_loader.js: the groups with published dashboards, and
        their dashboards the user may read), in a request of its own."""
        self.env.invalidate_all()
        groups = (
            self.env["spreadsheet.dashboard.group"]
            .with_user(user)
            .search_read(
                [("published_dashboard_ids", "!=", False)], ["published_dashboard_ids"]
            )
        )
        return {
            dashboard_id
            for group in groups
            for dashboard_id in group["published_dashboard_ids"]
        }

    def test_managers_only(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        for role, user in self.users.items():
            dashboard = self.dashboard.with_user(user)
            with self.subTest(role=role):
                if role == "manager":
                    self.assertEqual(
                        dashboard.read(["name"])[0]["name"], "Order Center"
                    )
                    self.assertEqual(
                        Dashboard.with_user(user).search([("id", "=", dashboard.id)]),
                        dashboard,
                    )
                    self.assertIn(dashboard.id, self._listed_dashboards(user))
                    snapshot = dashboard.get_readonly_dashboard()["snapshot"]
                    self.assertEqual(snapshot["pivots"], self.data["pivots"])
                    continue
                with self.assertRaises(AccessError):
                    dashboard.read(["name"])
                with self.assertRaises(AccessError):
                    dashboard.get_readonly_dashboard()
                self.assertFalse(
                    Dashboard.with_user(user).search([("id", "=", dashboard.id)])
                )
                self.assertNotIn(dashboard.id, self._listed_dashboards(user))

    def test_json_file(self):
        self.assertEqual(self.data, load_dashboard_file())
        self.assertEqual(
            [sheet["name"] for sheet in self.data["sheets"]], ["Dashboard", "Data"]
        )
        figures = {figure["id"] for figure in self.data["sheets"][0]["figures"]}
        self.assertEqual(figures, SCORECARDS | CHARTS)
        self.assertEqual(set(self.data["pivots"]), {"1", "2", "3", "4", "5"})
        self.assertEqual(set(self.data["lists"]), {"1"})

    def test_filters(self):
        (date_filter, platform_filter) = self.data["globalFilters"]
        self.assertEqual(date_filter["type"], "date")
        self.assertEqual(date_filter["rangeType"], "relative")
        self.assertIn(date_filter["defaultValue"], RELATIVE_DAYS)
        self.assertEqual(platform_filter["type"], "relation")
        self.assertEqual(platform_filter["modelName"], "food.sales.platform")
        # every data source follows every filter, the date one on the date
        # the order was received
        sources = [
            *self.data["pivots"].values(),
            *self.data["lists"].values(),
            *(chart["data"] for chart in self._odoo_charts()),
        ]
        for source in sources:
            model = self.env[source.get("model") or source["metaData"]["resModel"]]
            with self.subTest(source=source.get("name", model._name)):
                matching = source["fieldMatching"]
                self.assertEqual(set(matching), set(self.filters))
                self.assertEqual(matching[date_filter["id"]]["chain"], "date")
                for filter_id, match in matching.items():
                    field = model._fields[match["chain"]]
                    self.assertEqual(field.type, match["type"])
                    if self.filters[filter_id]["type"] == "relation":
                        self.assertEqual(
                            field.comodel_name, self.filters[filter_id]["modelName"]
                        )
        # the KPIs of the previous period, for the scorecards' baselines
        self.assertEqual(
            self.data["pivots"]["2"]["fieldMatching"][date_filter["id"]]["offset"], -1
        )

    def test_customer_orders_only(self):
        """Every figure counts the customers' orders: no cancelled order,
        no after-sales exchange (the product lines leave cancelled orders
        out themselves)."""
        sources = [
            *self.data["pivots"].values(),
            *self.data["lists"].values(),
            *(chart["data"] for chart in self._odoo_charts()),
        ]
        for source in sources:
            model = source.get("model") or source["metaData"]["resModel"]
            domain = source.get("domain") or source["searchParams"]["domain"]
            leaves = [leaf for leaf in domain if isinstance(leaf, list)]
            with self.subTest(source=source.get("name", model)):
                self.assertIn(["channel", "!=", "exchange"], leaves)
                if model == "food.order.analysis":
                    self.assertIn(["is_cancelled", "=", False], leaves)
                    self.assertEqual(domain[-3:], CUSTOMER_ORDERS)

    def test_sources_name_existing_fields(self):
        # what the spreadsheet module checks when a dashboard is saved
        for model, chains in fields_in_spreadsheet(self.data).items():
            self.assertIn(model, self.env)
            for chain in chains:
                current = self.env[model]
                for name in chain.split("."):
                    self.assertIn(name, current._fields, f"{model}: {chain}")
                    field = current._fields[name]
                    if field.relational:
                        current = self.env[field.comodel_name]

    def test_pivots_measures_and_dimensions(self):
        """Measures with the aggregators their fields take, groupable
        dimensions, actions that exist."""
        for pivot in self.data["pivots"].values():
            model = self.env[pivot["model"]]
            with self.subTest(pivot=pivot["name"]):
                for measure in pivot["measures"]:
                    if measure["fieldName"] == "__count":
                        self.assertEqual(measure["id"], "__count")
                        continue
                    field = model._fields[measure["fieldName"]]
                    self.assertEqual(
                        measure["id"], f"{measure['fieldName']}:{measure['aggregator']}"
                    )
                    if field.type == "many2one":
                        self.assertEqual(measure["aggregator"], "count_distinct")
                    else:
                        self.assertIn(field.type, ("integer", "float", "monetary"))
                        self.assertEqual(measure["aggregator"], field.aggregator)
                for dim in pivot["rows"] + pivot["columns"]:
                    field = model._fields[dim["fieldName"]]
                    self.assertTrue(field._description_groupable(self.env))
                    if field.type in ("date", "datetime"):
                        self.assertIn(dim["granularity"], ("day", "week", "month"))
                sorted_column = pivot.get("sortedColumn")
                if sorted_column:
                    self.assertIn(
                        sorted_column["measure"],
                        [m["fieldName"] for m in pivot["measures"]],
                    )
                self.assertTrue(self.env.ref(pivot["actionXmlId"]))

    def test_charts_and_lists(self):
        for chart in self._odoo_charts():
            meta = chart["data"]["metaData"]
            model = self.env[meta["resModel"]]
            with self.subTest(chart=chart["id"]):
                self.assertEqual(
                    meta["groupBy"], chart["data"]["searchParams"]["groupBy"]
                )
                for group_by in meta["groupBy"]:
                    field = model._fields[group_by.split(":")[0]]
                    self.assertTrue(field._description_groupable(self.env))
                if meta["measure"] != "__count":
                    self.assertTrue(model._fields[meta["measure"]].aggregator)
                self.assertTrue(self.env.ref(chart["data"]["actionXmlId"]))
        for list_definition in self.data["lists"].values():
            model = self.env[list_definition["model"]]
            for name in list_definition["columns"]:
                self.assertIn(name, model._fields)
            self.assertTrue(self.env.ref(list_definition["actionXmlId"]))

    def test_formulas_name_existing_sources(self):
        """Each PIVOT.VALUE/PIVOT.HEADER/ODOO.LIST names a pivot or list of
        the dashboard, its measures and dimensions; scorecards and charts
        read cells that hold something."""
        sheets = {sheet["name"]: sheet for sheet in self.data["sheets"]}
        pivots = {p["formulaId"]: p for p in self.data["pivots"].values()}
        calls = 0
        for sheet in self.data["sheets"]:
            for xc, cell in sheet["cells"].items():
                for function, args in FORMULA.findall(cell.get("content", "")):
                    calls += 1
                    args = formula_args(args)
                    with self.subTest(cell=f"{sheet['name']}!{xc}"):
                        if function == "ODOO.LIST":
                            list_definition = self.data["lists"][args[0]]
                            self.assertLessEqual(int(args[1]), 10)
                            self.assertIn(args[2], list_definition["columns"])
                            continue
                        pivot = pivots[args[0]]
                        if function == "PIVOT.VALUE":
                            self.assertIn(args[1], [m["id"] for m in pivot["measures"]])
                            args = args[1:]
                        dimensions = [
                            dimension(d) for d in pivot["rows"] + pivot["columns"]
                        ]
                        model = self.env[pivot["model"]]
                        for name, value in zip(args[1::2], args[2::2], strict=True):
                            self.assertIn(name.lstrip("#"), dimensions)
                            field = model._fields[name.lstrip("#").split(":")[0]]
                            if name.startswith("#"):
                                self.assertTrue(value.isdigit())
                            elif field.type == "selection":
                                self.assertIn(value, dict(field.selection))
        self.assertGreater(calls, 100)

        def cells_of(reference):
            sheet, col, row, col_to, row_to = REFERENCE.match(reference).groups()
            col_to, row_to = col_to or col, int(row_to or row)
            return [
                sheets[sheet]["cells"].get(f"{c}{r}")
                for c in (chr(x) for x in range(ord(col), ord(col_to) + 1))
                for r in range(int(row), row_to + 1)
            ]

        for figure in sheets["Dashboard"]["figures"]:
            definition = figure["data"]
            references = [
                definition.get("keyValue"),
                definition.get("baseline"),
                definition.get("labelRange"),
                *(d["dataRange"] for d in definition.get("dataSets", [])),
            ]
            for reference in filter(None, references):
                with self.subTest(figure=figure["id"], reference=reference):
                    self.assertTrue(all(cells_of(reference)))

    def test_stage_funnel_lists_the_stages_in_order(self):
        """The stage chart reads Data!K:L, one row per stage in the order
        of the flow, labelled with the stage's name (in Chinese, the name
        the orders' field gives it); cancelled orders are not in it (a stage
        added to the orders must be added there)."""
        cells = self.data["sheets"][1]["cells"]
        field = self.env["food.order.analysis"]._fields["stage"]
        stages = [value for value, __ in field.selection]
        stages.remove("cancelled")
        names = dict(field._description_selection(self.env(context={"lang": "zh_CN"})))
        ours = web_translations("food_order_center")
        rows = []
        for row in range(2, len(stages) + 3):
            value = cells.get(f"L{row}", {}).get("content")
            if not value:
                break
            match = re.fullmatch(r'=PIVOT\.VALUE\(5,"__count","stage","(\w+)"\)', value)
            label = re.fullmatch(r'=_t\("(.+)"\)', cells[f"K{row}"]["content"])
            self.assertEqual(ours[label[1]], names[match[1]], label[1])
            rows.append(match[1])
        self.assertEqual(rows, stages)

    def test_texts_mean_the_same_in_every_module(self):
        """The browser merges the translations of all modules by English
        text, the last module loaded winning (and the order varies between
        starts): each text of the dashboard is translated, and no other
        installed module translates it differently (mail's "Delivered" is
        a sent message, 已发货, not a delivered order, 已送达)."""
        texts = {
            text
            for sheet in self.data["sheets"]
            for cell in sheet.get("cells", {}).values()
            for text in re.findall(r'_t\("([^"]+)"\)', cell.get("content") or "")
        }
        ours = web_translations("food_order_center")
        self.assertFalse(texts - set(ours), "texts without a zh_CN translation")
        for module in self.env.registry._init_modules - {"food_order_center"}:
            for text, translation in web_translations(module).items():
                if text in texts:
                    with self.subTest(text=text, module=module):
                        self.assertEqual(translation, ours[text])

    def test_sources_run_as_manager(self):
        """Each query of the dashboard runs as a manager, with the filters'
        default values and with a platform chosen."""
        platform = self.env["food.sales.platform"].create(
            {"name": "Dashboard Mall", "code": "dashboard_mall"}
        )
        (date_filter, platform_filter) = self.data["globalFilters"]
        for values in ({}, {platform_filter["id"]: [platform.id]}):
            for pivot in self.data["pivots"].values():
                with self.subTest(pivot=pivot["name"], filters=values):
                    (total,) = self._pivot_groups(
                        pivot, groupby=[], filter_values=values
                    )
                    self.assertIn("__count", total)
                    self._pivot_groups(pivot, filter_values=values)
            for chart in self._odoo_charts():
                with self.subTest(chart=chart["id"], filters=values):
                    self._chart_groups(chart, filter_values=values)
            for list_definition in self.data["lists"].values():
                with self.subTest(list=list_definition["name"], filters=values):
                    self._list_records(list_definition, filter_values=values)
        # a processor gets none of it
        processor = self.users["processor"]
        for pivot in self.data["pivots"].values():
            with self.assertRaises(AccessError):
                self.env[pivot["model"]].with_user(processor).read_group(
                    pivot["domain"], [measure_spec(m) for m in pivot["measures"]], []
                )


class TestDashboardFigures(DashboardCommon):
    """The queries of the dashboard on a crafted set of orders, restricted
    to them, against numbers worked out by hand.

    In the period (the last 365 days, the filter's default):
      A1  Alpha, phone: 2 dumplings + 3 noodles at 10 = 50; verified in 2 h,
          delivered in 24 h, before its promised date; Alpha's first order
      A2  Alpha, e-mail: 1 dumplings = 10; verified in 4 h, delivered in
          48 h, after its promised date; a stock-out
      B1  Beta, platform: 5 noodles = 50; to verify; a delay, a complaint;
          Beta's first order
      B2  Beta, fax: 100 dumplings = 1000; cancelled, with a complaint
      X1  Alpha, after-sales exchange: 50 dumplings = 500; a delay
      C1  Gamma, phone: 1 noodles = 10; shipped
    Before it (400 days ago, the previous period):
      C0  Gamma's first order, phone: 7 dumplings = 70; closed
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.alpha, cls.beta, cls.gamma = env["res.partner"].create(
            [{"name": "Dash Alpha"}, {"name": "Dash Beta"}, {"name": "Dash Gamma"}]
        )
        cls.dumplings, cls.noodles = env["product.product"].create(
            [
                {"name": "Dash Dumplings", "taxes_id": False},
                {"name": "Dash Noodles", "taxes_id": False},
            ]
        )
        cls.platform = env["food.sales.platform"].create(
            {"name": "Dash Mall", "code": "dash_mall"}
        )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )

        def order(partner, channel, lines, **vals):
            return env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "intake_channel": channel,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "price_unit": 10.0,
                                "tax_id": False,
                            },
                        )
                        for product, qty in lines
                    ],
                    **vals,
                }
            )

        cls.c0 = order(cls.gamma, "phone", [(cls.dumplings, 7)])
        cls.a1 = order(cls.alpha, "phone", [(cls.dumplings, 2), (cls.noodles, 3)])
        cls.a2 = order(cls.alpha, "email", [(cls.dumplings, 1)])
        cls.b1 = order(
            cls.beta, "online_platform", [(cls.noodles, 5)], platform_id=cls.platform.id
        )
        cls.b2 = order(cls.beta, "fax", [(cls.dumplings, 100)])
        cls.x1 = order(cls.alpha, "phone", [(cls.dumplings, 50)])
        cls.c1 = order(cls.gamma, "phone", [(cls.noodles, 1)])
        env["food.order.exception"].create(
            [
                {
                    "order_id": cls.a2.id,
                    "line_id": cls.a2.order_line.id,
                    "exception_type": "stock_out",
                },
                {"order_id": cls.b1.id, "exception_type": "delay"},
                {"order_id": cls.x1.id, "exception_type": "delay"},
            ]
        )
        env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Dash complaint {order.name}",
                    "description": "<p>cold</p>",
                    "food_case_type": "complaint",
                    "food_case_channel": "hotline",
                    "food_order_id": order.id,
                    "partner_id": order.partner_id.id,
                }
                for order in (cls.b1, cls.b2)
            ]
        )
        env.flush_all()
        now = cls.a1.create_date

        def hours(count):
            return now + timedelta(hours=count)

        facts = {
            cls.c0: {
                "create_date": now - timedelta(days=400),
                "order_center_stage": "closed",
                "verification_state": "verified",
            },
            cls.a1: {
                "verification_state": "verified",
                "verification_date": hours(2),
                "food_delivered_date": hours(24),
                "commitment_date": hours(48),
                "order_center_stage": "delivered",
            },
            cls.a2: {
                "verification_state": "verified",
                "verification_date": hours(4),
                "food_delivered_date": hours(48),
                "commitment_date": hours(24),
                "order_center_stage": "delivered",
            },
            cls.b1: {
                "verification_state": "to_verify",
                "food_delivered_date": None,
                "commitment_date": None,
                "order_center_stage": "to_verify",
            },
            cls.b2: {
                "state": "cancel",
                "order_center_stage": "cancelled",
                "commitment_date": None,
            },
            cls.x1: {
                "intake_channel": "exchange",
                "verification_state": "verified",
                "verification_date": hours(1),
                "food_delivered_date": hours(100),
                "commitment_date": hours(24),
                "order_center_stage": "shipped",
            },
            cls.c1: {
                "verification_state": "to_verify",
                "food_delivered_date": None,
                "commitment_date": None,
                "order_center_stage": "shipped",
            },
        }
        for record, vals in facts.items():
            columns = ", ".join(f"{name} = %s" for name in vals)
            env.cr.execute(
                f"UPDATE sale_order SET {columns} WHERE id = %s",  # noqa: S608
                [*vals.values(), record.id],
            )
        env.invalidate_all()
        cls.orders = cls.c0 | cls.a1 | cls.a2 | cls.b1 | cls.b2 | cls.x1 | cls.c1
        cls.ours = [("order_id", "in", cls.orders.ids)]

    def _kpis(self, pivot_id):
        pivot = self.data["pivots"][pivot_id]
        (row,) = self._pivot_groups(pivot, self.ours)
        return {
            measure["id"]: row[measure_key(measure)] for measure in pivot["measures"]
        }

    def test_kpis_of_the_period(self):
        kpis = self._kpis("1")
        self.assertEqual(
            kpis,
            {
                "__count": 4,  # A1, A2, B1, C1
                "amount_untaxed:sum": 120.0,  # 50 + 10 + 50 + 10
                "basket:avg": 30.0,
                "partner_id:count_distinct": 3,  # Alpha, Beta, Gamma
                "new_customer:sum": 2,  # Alpha, Beta (Gamma came before)
                "delivered_on_time:avg": 50.0,  # A1 on time, A2 late
                "verify_hours:avg": 3.0,  # (2 + 4) / 2
                "lead_hours:avg": 36.0,  # (24 + 48) / 2
                "exception:sum": 2,  # A2, B1
                "stock_out:sum": 1,  # A2
                "complaint:sum": 1,  # B1 (B2 is cancelled)
            },
        )
        # the Data sheet's KPI formulas over these numbers
        data_sheet = self.data["sheets"][1]
        self.assertEqual(evaluate(data_sheet, "B2", {"1": kpis}), 4)
        self.assertEqual(evaluate(data_sheet, "B6", {"1": kpis}), 2)
        # repeat customers: (3 customers - 2 new) / 3
        self.assertAlmostEqual(evaluate(data_sheet, "B7", {"1": kpis}), 1 / 3)
        # orders per customer: 4 / 3
        self.assertAlmostEqual(evaluate(data_sheet, "B8", {"1": kpis}), 4 / 3)
        # on-time delivery, a ratio: 50 % -> 0.5
        self.assertEqual(evaluate(data_sheet, "B9", {"1": kpis}), 0.5)
        self.assertEqual(evaluate(data_sheet, "B11", {"1": kpis}), 36.0)
        # formatted as rates
        formats = self.data["formats"]
        self.assertEqual(formats[str(data_sheet["formats"]["B7:C7"])], "0.0%")
        self.assertEqual(formats[str(data_sheet["formats"]["B9:C9"])], "0.0%")

    def test_kpis_of_the_previous_period(self):
        kpis = self._kpis("2")
        self.assertEqual(kpis["__count"], 1)  # C0
        self.assertEqual(kpis["amount_untaxed:sum"], 70.0)
        self.assertEqual(kpis["partner_id:count_distinct"], 1)
        self.assertEqual(kpis["new_customer:sum"], 1)
        self.assertEqual(kpis["exception:sum"], 0)
        self.assertIs(kpis["delivered_on_time:avg"], False)

    def test_platform_filter(self):
        pivot = self.data["pivots"]["1"]
        filter_id = self.data["globalFilters"][1]["id"]
        (row,) = self._pivot_groups(
            pivot, self.ours, filter_values={filter_id: [self.platform.id]}
        )
        self.assertEqual(row["__count"], 1)  # B1
        self.assertEqual(row["complaint_sum_id"], 1)

    def test_exceptions_and_complaints_per_month(self):
        pivot = self.data["pivots"]["3"]
        (month,) = self._pivot_groups(pivot, self.ours)
        self.assertEqual(
            {m["id"]: month[measure_key(m)] for m in pivot["measures"]},
            {
                "exception:sum": 2,  # A2, B1 (X1 is an exchange)
                "stock_out:sum": 1,
                "delayed:sum": 1,  # B1
                "complaint:sum": 1,
            },
        )

    def test_top_products(self):
        pivot = self.data["pivots"]["4"]
        lines = [("order_id", "in", self.orders.ids)]
        rows = self._pivot_groups(pivot, lines)
        # sorted by the spreadsheet on its sorted column: the amount, desc
        self.assertEqual(pivot["sortedColumn"]["order"], "desc")
        rows.sort(key=lambda row: row["amount_untaxed_sum_id"], reverse=True)
        self.assertEqual(
            [
                (
                    row["product_id"][0],
                    row["product_uom_qty_sum_id"],
                    row["amount_untaxed_sum_id"],
                )
                for row in rows
            ],
            [
                (self.noodles.id, 9.0, 90.0),  # A1 3, B1 5, C1 1
                (self.dumplings.id, 3.0, 30.0),  # A1 2, A2 1 (B2, X1, C0 out)
            ],
        )

    def test_charts(self):
        charts = {chart["id"]: chart for chart in self._odoo_charts()}
        (week,) = self._chart_groups(charts["foc_chart_orders_per_week"], self.ours)
        self.assertEqual(week["__count"], 4)
        stages = {
            group["stage"]: group["__count"]
            for group in self._pivot_groups(self.data["pivots"]["5"], self.ours)
        }
        # X1 (an exchange) shipped and B2 cancelled are not counted
        self.assertEqual(stages, {"delivered": 2, "to_verify": 1, "shipped": 1})
        (month,) = self._chart_groups(charts["foc_chart_on_time_per_month"], self.ours)
        self.assertEqual(month["delivered_on_time"], 50.0)

    def test_latest_complaints(self):
        (row,) = self._list_records(self.data["lists"]["1"], self.ours)
        self.assertEqual(row["order_id"][0], self.b1.id)
        self.assertEqual(row["partner_id"][0], self.beta.id)
        self.assertEqual(row["stage"], "to_verify")
        self.assertEqual(row["amount_untaxed"], 50.0)


@tagged("post_install", "-at_install")
class TestDashboardRpc(HttpCase):
    """The dashboard over RPC: its data over XML-RPC for a manager (as BI
    tools would read it), loaded over JSON-RPC the way the Dashboards app
    does; an access error for the other roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env, "foc_dash_rpc", password=True)
        cls.dashboard = cls.env.ref(DASHBOARD)

    def test_read_over_xmlrpc(self):
        models = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr)
        )
        db = get_db_name()
        (record,) = models.execute_kw(
            db,
            self.users["manager"].id,
            "foc_dash_rpc_manager",
            "spreadsheet.dashboard",
            "read",
            [[self.dashboard.id], ["name", "spreadsheet_data"]],
        )
        self.assertEqual(record["name"], "Order Center")
        self.assertEqual(json.loads(record["spreadsheet_data"]), load_dashboard_file())
        for role in ("processor", "receiver", "aftersales"):
            for method, args in (
                ("read", [[self.dashboard.id], ["name"]]),
                ("get_readonly_dashboard", [[self.dashboard.id]]),
            ):
                with self.subTest(role=role, method=method):
                    with self.assertRaises(xmlrpc.client.Fault) as denied:
                        models.execute_kw(
                            db,
                            self.users[role].id,
                            f"foc_dash_rpc_{role}",
                            "spreadsheet.dashboard",
                            method,
                            args,
                        )
                    self.assertEqual(denied.exception.faultCode, 4)

    def _load(self, login):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/spreadsheet.dashboard/get_readonly_dashboard",
            {
                "model": "spreadsheet.dashboard",
                "method": "get_readonly_dashboard",
                "args": [[self.dashboard.id]],
                "kwargs": {},
            },
        )

    def test_load_over_jsonrpc(self):
        result = self._load("foc_dash_rpc_manager")
        snapshot = result["snapshot"]
        self.assertEqual(snapshot["pivots"], load_dashboard_file()["pivots"])
        self.assertEqual(
            {figure["id"] for figure in snapshot["sheets"][0]["figures"]},
            SCORECARDS | CHARTS,
        )
        self.assertEqual(
            result["default_currency"]["code"], self.env.company.currency_id.name
        )
        with self.assertRaises(JsonRpcException) as denied:
            self._load("foc_dash_rpc_processor")
        self.assertEqual(str(denied.exception), "odoo.exceptions.AccessError")
