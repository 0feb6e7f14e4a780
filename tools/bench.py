"""Throughput of the order intake API, measured over XML-RPC.

Usage: bench.py --url URL --db DB [--login admin] [--password admin]
                [--orders 1000] [--batch 100] [--warmup 5] [--rounds 4]
                [--events 10000] [--event-batch 500]

Sets up a sales platform, 10 food products in stock and 50 customers, then
sends the same kind of orders (3 lines each) three ways and prints the orders
per second of each and their ratio to the first one:

1. plain ``sale.order.create``, one order per call, with the id of an
   existing customer: what an integrator does without the intake API;
2. ``sale.order.intake_orders``, one order per call;
3. ``sale.order.intake_orders``, ``--batch`` orders per call.

Then the carriers' tracking API: ``--events`` transport events (default
10,000) sent to ``stock.picking.record_tracking_events`` in batches of
``--event-batch`` (default 500), against the same number of plain
``stock.picking.write`` of the tracking reference, one per call (what a
carrier integration does without the API), on 20 deliveries handed over to a
carrier first. Events per second of each and their ratio are printed.

The intake API's targets (issue 12, with the audit trail on): at least
0.85x the plain create one order per call and 5x in batches of 100; the
table says whether a run met them. Every order of a mode has its own
external_ref, and the orders are spread over the customers and product
combinations so that none is a possible duplicate of another. A few orders
per mode warm the server up before the timing starts. The modes take turns
(``--rounds``, default 4: a quarter of each mode's orders, then the next
mode's): a slower moment of the machine, and the database growing with the
orders, weigh on every mode, not on the one that ran then.

Exits 0 whether or not the targets are met (this is a measurement), 1 when
a call fails or an order is not created.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import argparse
import itertools
import sys
import time
import xmlrpc.client

PLATFORM_CODE = "bench"
TARGETS = {"intake_single": 0.85, "intake_batch": 5.0}

PRODUCTS = [
    ("BENCH-RICE", "五常大米 5kg", 89.0),
    ("BENCH-FUNGUS", "东北黑木耳 250g", 39.9),
    ("BENCH-HAM", "金华火腿 500g", 128.0),
    ("BENCH-TEA", "西湖龙井 250g", 268.0),
    ("BENCH-GOJI", "宁夏枸杞 500g", 59.0),
    ("BENCH-DATES", "新疆红枣 1kg", 45.5),
    ("BENCH-PUER", "云南普洱茶饼 357g", 198.0),
    ("BENCH-BEEF", "内蒙古牛肉干 200g", 42.8),
    ("BENCH-OIL", "山东花生油 5L", 109.0),
    ("BENCH-NOODLE", "山西刀削面 1kg", 19.9),
]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN_NAMES = ["建国", "秀英", "志强", "海燕", "晓明"]
CITIES = [
    ("上海市", "200120", "浦东新区世纪大道{n}号"),
    ("北京市", "100020", "朝阳区建国路{n}号"),
    ("广州市", "510623", "天河区华夏路{n}号"),
    ("深圳市", "518048", "福田区深南大道{n}号"),
    ("杭州市", "310007", "西湖区文三路{n}号"),
]
CUSTOMER_COUNT = len(SURNAMES) * len(GIVEN_NAMES)


class BenchError(Exception):
    pass


class Client:
    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise BenchError(f"cannot log in to database {db} as {login}")
        self.models = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )


def customers():
    """Data of the customers, as the intake API receives them."""
    result = []
    for index in range(CUSTOMER_COUNT):
        city, zip_code, street = CITIES[index % len(CITIES)]
        name = SURNAMES[index % len(SURNAMES)] + GIVEN_NAMES[index // len(SURNAMES)]
        result.append(
            {
                "name": name,
                "phone": f"+86 138 {index + 1:04d} {(index * 37 + 11) % 10000:04d}",
                "email": f"bench.customer{index + 1}@example.com",
                "street": street.format(n=index * 7 + 1),
                "city": city,
                "zip": zip_code,
                "country_code": "CN",
            }
        )
    return result


STOCK_QTY = 1_000_000


def set_up(client, customer_data):
    """Create what the orders need (unless there already); return the
    product codes with their ids and prices and the customers' ids."""
    if not client.call("food.sales.platform", "search", [("code", "=", PLATFORM_CODE)]):
        client.call(
            "food.sales.platform",
            "create",
            {"name": "Bench Platform", "code": PLATFORM_CODE},
        )
    codes = [code for code, _name, _price in PRODUCTS]
    existing = client.call(
        "product.product",
        "search_read",
        [("default_code", "in", codes)],
        fields=["default_code"],
    )
    known = {product["default_code"] for product in existing}
    missing = [
        {
            "name": name,
            "default_code": code,
            "list_price": price,
            "type": "consu",
            "is_storable": True,
            "sale_ok": True,
        }
        for code, name, price in PRODUCTS
        if code not in known
    ]
    if missing:
        new_products = client.call("product.product", "create", missing)
        # food in stock: every intake order goes through the whole stock check
        for product_id in new_products:
            [template] = client.call(
                "product.product", "read", [product_id], fields=["product_tmpl_id"]
            )
            wizard = client.call(
                "stock.change.product.qty",
                "create",
                {
                    "product_id": product_id,
                    "product_tmpl_id": template["product_tmpl_id"][0],
                    "new_quantity": STOCK_QTY,
                },
            )
            client.call("stock.change.product.qty", "change_product_qty", [wizard])
    products = client.call(
        "product.product",
        "search_read",
        [("default_code", "in", codes)],
        fields=["default_code", "lst_price"],
    )
    products = {p["default_code"]: (p["id"], p["lst_price"]) for p in products}
    products = [(code, *products[code]) for code in codes]

    [country_id] = client.call("res.country", "search", [("code", "=", "CN")])
    emails = [data["email"] for data in customer_data]
    partners = client.call(
        "res.partner", "search_read", [("email", "in", emails)], fields=["email"]
    )
    partner_ids = {partner["email"]: partner["id"] for partner in partners}
    missing = [data for data in customer_data if data["email"] not in partner_ids]
    if missing:
        vals_list = [
            {
                **{key: value for key, value in data.items() if key != "country_code"},
                "country_id": country_id,
                "customer_rank": 1,
            }
            for data in missing
        ]
        new_ids = client.call("res.partner", "create", vals_list)
        partner_ids.update(
            {data["email"]: id_ for data, id_ in zip(missing, new_ids, strict=True)}
        )
    return products, [partner_ids[email] for email in emails]


class OrderMaker:
    """Orders of the benchmark: each one of the next customer, with the next
    combination of 3 products, so that no order repeats an earlier order of
    the same customer (which the verification reports as a duplicate)."""

    def __init__(self, products, customer_data, partner_ids, run_tag):
        self.products = products
        self.customer_data = customer_data
        self.partner_ids = partner_ids
        self.run_tag = run_tag
        self.combinations = list(itertools.combinations(range(len(products)), 3))
        self.count = 0

    def _next(self):
        index = self.count
        self.count += 1
        customer = index % len(self.customer_data)
        combination = self.combinations[
            (index // len(self.customer_data)) % len(self.combinations)
        ]
        lines = [
            (self.products[product], 1 + (index + position) % 5)
            for position, product in enumerate(combination)
        ]
        return index, customer, lines

    def plain(self):
        index, customer, lines = self._next()
        return {
            "partner_id": self.partner_ids[customer],
            "client_order_ref": f"{self.run_tag}-{index:06d}",
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": product_id,
                        "product_uom_qty": qty,
                        "price_unit": price,
                    },
                )
                for (_code, product_id, price), qty in lines
            ],
        }

    def intake(self):
        index, customer, lines = self._next()
        return {
            "channel": "online_platform",
            "platform": PLATFORM_CODE,
            "external_ref": f"{self.run_tag}-{index:06d}",
            "customer": self.customer_data[customer],
            "lines": [
                {"product_code": code, "qty": qty, "price_unit": price}
                for (code, _product_id, price), qty in lines
            ],
        }


def check_intake(results, sent, states):
    if len(results) != len(sent):
        raise BenchError(
            f"intake_orders returned {len(results)} results for {len(sent)} orders"
        )
    for result, order in zip(results, sent, strict=True):
        if result.get("result") != "created":
            raise BenchError(
                f"order {order['external_ref']} was not created: {result!r}"
            )
        state = result.get("verification_state")
        states[state] = states.get(state, 0) + 1


def run_plain(client, orders, states):
    for order in orders:
        order_id = client.call("sale.order", "create", order)
        if not isinstance(order_id, int):
            raise BenchError(f"sale.order.create returned {order_id!r}")


def run_intake_single(client, orders, states):
    for order in orders:
        check_intake(
            client.call("sale.order", "intake_orders", [order]), [order], states
        )


def make_run_intake_batch(size):
    def run_intake_batch(client, orders, states):
        for start in range(0, len(orders), size):
            batch = orders[start : start + size]
            check_intake(
                client.call("sale.order", "intake_orders", batch), batch, states
            )

    return run_intake_batch


TRACKED_DELIVERIES = 20
EVENT_STATUSES = ["in_transit", "out_for_delivery"]


def set_up_deliveries(client, products, partner_ids, run_tag, handover=True):
    """Confirm orders and, with ``handover``, hand their deliveries over to a
    carrier; return the deliveries' ids and tracking numbers. The plain
    writes go to deliveries not handed over: the tracking numbers of those
    handed over are fixed (the carriers' events find them by these)."""
    carrier_ids = client.call("delivery.carrier", "search", [], limit=1)
    if not carrier_ids:
        raise BenchError("no delivery carrier to hand the deliveries over to")
    (_code, product_id, price) = products[0]
    order_ids = client.call(
        "sale.order",
        "create",
        [
            {
                "partner_id": partner_ids[index % len(partner_ids)],
                "client_order_ref": f"{run_tag}-TRACK-{int(handover)}-{index:03d}",
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product_id,
                            "product_uom_qty": 1,
                            "price_unit": price,
                        },
                    )
                ],
            }
            for index in range(TRACKED_DELIVERIES)
        ],
    )
    client.call("sale.order", "action_confirm", order_ids)
    pickings = client.call(
        "stock.picking",
        "search_read",
        [("sale_id", "in", order_ids), ("picking_type_code", "=", "outgoing")],
        fields=["id"],
    )
    deliveries = []
    for index, picking in enumerate(pickings):
        ref = f"{run_tag.replace('-', '')}T{int(handover)}{index:03d}"
        if not handover:
            deliveries.append((picking["id"], ref))
            continue
        client.call(
            "stock.picking",
            "action_food_handover",
            [picking["id"]],
            carrier_id=carrier_ids[0],
            tracking_refs=[ref],
        )
        deliveries.append((picking["id"], ref))
    return deliveries


def make_events(deliveries, count, run_tag):
    """``count`` events spread over the deliveries, one minute apart, in the
    past (the API refuses events in the future)."""
    start = time.time() - 60 * (count + 10)
    return [
        {
            "tracking_ref": deliveries[index % len(deliveries)][1],
            "status": EVENT_STATUSES[(index // len(deliveries)) % 2],
            "time": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + 60 * index)),
            "event_id": f"{run_tag}-E{index:06d}",
            "location": "上海转运中心",
        }
        for index in range(count)
    ]


def run_plain_writes(client, deliveries, count):
    for index in range(count):
        picking_id, ref = deliveries[index % len(deliveries)]
        client.call(
            "stock.picking", "write", [picking_id], {"carrier_tracking_ref": ref}
        )


def run_tracking_events(client, events, size):
    for start in range(0, len(events), size):
        batch = events[start : start + size]
        results = client.call("stock.picking", "record_tracking_events", batch)
        bad = [r for r in results if r.get("result") != "applied"]
        if len(results) != len(batch) or bad:
            raise BenchError(f"tracking events not applied: {bad[:3]!r}")


def measure(client, modes, count, warmup, rounds):
    """Send ``warmup`` orders of each mode, then time ``count`` orders of
    each, the modes taking turns in ``rounds``; return the seconds of each
    mode and the count of the verification states of the orders timed."""
    for _key, _label, run, make_order in modes:
        run(client, [make_order() for _i in range(warmup)], {})
    seconds = dict.fromkeys((mode[0] for mode in modes), 0.0)
    states = {}
    sizes = [count // rounds + (index < count % rounds) for index in range(rounds)]
    for size in sizes:
        for key, _label, run, make_order in modes:
            orders = [make_order() for _i in range(size)]
            start = time.perf_counter()
            run(client, orders, states)
            seconds[key] += time.perf_counter() - start
    return seconds, states


def print_table(rows, unit="orders"):
    base = "create" if unit == "orders" else "write"
    header = ("mode", unit, "seconds", f"{unit}/s", f"vs {base}", "target")
    lines = [header]
    base_rate = rows[0][2]
    for key, label, rate, count, seconds in rows:
        ratio = rate / base_rate
        target = TARGETS.get(key)
        verdict = "-"
        if target is not None:
            verdict = f">= {target:g}x " + ("met" if ratio >= target else "NOT met")
        lines.append(
            (
                label,
                str(count),
                f"{seconds:.2f}",
                f"{rate:.1f}",
                f"{ratio:.2f}x",
                verdict,
            )
        )
    widths = [max(len(line[col]) for line in lines) for col in range(len(header))]
    for line in lines:
        cells = [
            cell.ljust(width) if col in (0, 5) else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--orders", type=int, default=1000, help="orders per mode")
    parser.add_argument("--batch", type=int, default=100, help="orders per batch")
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed orders per mode first"
    )
    parser.add_argument(
        "--rounds", type=int, default=4, help="turns the modes take (see above)"
    )
    parser.add_argument(
        "--events", type=int, default=10000, help="tracking events (0: none)"
    )
    parser.add_argument(
        "--event-batch", type=int, default=500, help="tracking events per call"
    )
    args = parser.parse_args(argv)
    if args.orders < 1 or args.batch < 1 or args.warmup < 0:
        parser.error("--orders and --batch must be positive, --warmup not negative")
    if not 1 <= args.rounds <= args.orders:
        parser.error("--rounds from 1 to --orders")
    if args.events < 0 or not 1 <= args.event_batch <= 1000:
        parser.error("--events not negative, --event-batch from 1 to 1000")

    try:
        client = Client(args.url, args.db, args.login, args.password)
        customer_data = customers()
        products, partner_ids = set_up(client, customer_data)
        run_tag = f"BENCH-{time.strftime('%Y%m%d%H%M%S')}"
        maker = OrderMaker(products, customer_data, partner_ids, run_tag)
        modes = [
            ("plain", "sale.order.create, 1/call", run_plain, maker.plain),
            (
                "intake_single",
                "intake_orders, 1/call",
                run_intake_single,
                maker.intake,
            ),
            (
                "intake_batch",
                f"intake_orders, {args.batch}/call",
                make_run_intake_batch(args.batch),
                maker.intake,
            ),
        ]
        print(
            f"food_order_center bench: {args.orders} orders of 3 lines per mode "
            f"({args.warmup} warm-up orders first, the modes in turn over "
            f"{args.rounds} rounds), {CUSTOMER_COUNT} customers, "
            f"{len(products)} products, database {args.db}"
        )
        seconds, all_states = measure(
            client, modes, args.orders, args.warmup, args.rounds
        )
        rows = []
        for key, label, _run, _make_order in modes:
            rows.append(
                (key, label, args.orders / seconds[key], args.orders, seconds[key])
            )
            print(f"  {label}: {seconds[key]:.2f} s", flush=True)
        event_rows = []
        if args.events:
            deliveries = set_up_deliveries(client, products, partner_ids, run_tag)
            open_deliveries = set_up_deliveries(
                client, products, partner_ids, run_tag, handover=False
            )
            start = time.perf_counter()
            run_plain_writes(client, open_deliveries, args.events)
            seconds = time.perf_counter() - start
            event_rows.append(
                (
                    "plain_write",
                    "stock.picking.write, 1/call",
                    args.events / seconds,
                    args.events,
                    seconds,
                )
            )
            print(f"  stock.picking.write, 1/call: {seconds:.2f} s", flush=True)
            events = make_events(deliveries, args.events, run_tag)
            start = time.perf_counter()
            run_tracking_events(client, events, args.event_batch)
            seconds = time.perf_counter() - start
            label = f"record_tracking_events, {args.event_batch}/call"
            event_rows.append(
                ("tracking_batch", label, args.events / seconds, args.events, seconds)
            )
            print(f"  {label}: {seconds:.2f} s", flush=True)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except xmlrpc.client.Fault as fault:
        print(f"bench: the server refused a call: {fault.faultString}", file=sys.stderr)
        return 1
    except (OSError, xmlrpc.client.ProtocolError) as error:
        print(f"bench: cannot reach {args.url}: {error}", file=sys.stderr)
        return 1
    print()
    print_table(rows)
    if event_rows:
        print()
        print_table(event_rows, unit="events")
    print()
    states = ", ".join(
        f"{count} {state}"
        for state, count in sorted(all_states.items(), key=lambda item: str(item[0]))
    )
    print(f"verification of the orders received through intake_orders: {states}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
