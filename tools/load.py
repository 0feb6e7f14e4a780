"""Orders and tracking events from concurrent XML-RPC clients, against Odoo
served by several worker processes.

Usage: load.py --db DB --server-log FILE [--workers 1,2,4] [--clients N]
               [--duration 30] [--batch 10] [--event-batch 50] [--warmup 2]
               [--login admin] [--password admin] -- ODOO_ARGS...

For each number of workers, starts Odoo as ``python -m odoo ODOO_ARGS
--workers N --max-cron-threads 0`` does, but without its gevent process
(see SERVER), on a free port of 127.0.0.1 (the addon must be installed in
the database), sets up the data of tools/bench.py (a sales
platform, 10 food products in stock) with 2,000 customers and 20 deliveries
handed over to a carrier, then runs ``--clients`` client threads (default: 2 per
worker) for ``--duration`` seconds. Each client repeats one round: a
``sale.order.intake_orders`` call of ``--batch`` orders, each with its own
external_ref, then a ``stock.picking.record_tracking_events`` call of
``--event-batch`` events on its own deliveries, each with its own event_id.
The first ``--warmup`` rounds of each client come before the clock starts.
The orders of all runs are made by one tools/bench.py OrderMaker: each goes
to the next customer, and none repeats an earlier order of the same customer.

After each run, with the server still up, the run's orders and events are
read back: every order answered ``created`` must exist exactly once (lost:
missing; duplicated: more than once) and every order that exists must have
been answered ``created`` (unreported); the same for the events answered
``applied``. Prints, per number of workers, the calls, the orders and events
per second, the 50th and 95th percentile of the intake calls' time, the
errors (failed calls, orders not created, events not applied), the lost,
duplicated and unreported orders and events, and the serialization failures
the server retried (from its log), with the cores busy on average during the
run: by Odoo, by PostgreSQL (the database's backends), by the clients and by
the rest of the machine; then the throughput of 2 and more workers against
1 worker (target for 2: 1.6x).

Exits 0 whether or not the throughput target is met (this is a
measurement), 1 on any error, lost, duplicated or unreported order or event,
or a server that does not start.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import argparse
import collections
import itertools
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client

import bench
import psutil

TARGET_RATIO = 1.6
# with --workers, Odoo kills a worker over these limits; its defaults (60 s
# of CPU, 120 s per request) are too tight for a saturated 2-core machine
SERVER_LIMITS = [
    "--limit-time-cpu",
    "600",
    "--limit-time-real",
    "1200",
    "--limit-memory-soft",
    str(3 * 1024**3),
    "--limit-memory-hard",
    str(4 * 1024**3),
]
# cores busy outside the server, PostgreSQL and the clients: beyond this,
# a run is said to be disturbed by other work
BUSY_ELSEWHERE = 0.2
START_SECONDS = 120
# a call that does not come back fails (beyond --limit-time-real)
CALL_TIMEOUT = 1300
# kind: model, method, the answer of an accepted item, the item's own key
KINDS = {
    "orders": ("sale.order", "intake_orders", "created", "external_ref"),
    "events": ("stock.picking", "record_tracking_events", "applied", "event_id"),
}
READ_BACK = {"orders": "sale.order", "events": "food.tracking.event"}
# enough customers for each to have few orders whatever the run: the
# verification compares an order with its customer's recent orders, and
# with bench.py's 50 customers each run would pay for the runs before it
CUSTOMERS = 2000


class LoadError(Exception):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Odoo's server with its worker processes but without its gevent process
# (the web client's websockets, which XML-RPC clients do not use): the
# master starts that process by running its own script again, which
# ``python -m odoo`` is not, and would start it again and again, each try
# costing CPU seconds
SERVER = (
    "import sys, odoo.cli, odoo.service.server as server; "
    "server.PreforkServer.long_polling_spawn = lambda self: None; "
    "sys.exit(odoo.cli.main())"
)


class Server:
    """Odoo with ``workers`` worker processes, no cron, on a free local port."""

    def __init__(self, odoo_args, workers):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [
            *(sys.executable, "-c", SERVER, *odoo_args),
            *("--workers", str(workers), "--max-cron-threads", "0"),
            *("--http-interface", "127.0.0.1", "--http-port", str(port)),
            *SERVER_LIMITS,
        ]
        # a session of its own: should the master not stop, it is killed
        # with its workers
        self.process = subprocess.Popen(command, start_new_session=True)

    def wait_ready(self):
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadError(
                    f"the Odoo server stopped (exit code {self.process.returncode})"
                )
            try:
                common.version()
                return
            except (OSError, xmlrpc.client.ProtocolError):
                time.sleep(1)
        raise LoadError(f"the Odoo server does not answer on {self.url}")

    def stop(self):
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def cpu_sample(server_pid, db):
    """CPU seconds used so far: by the machine (not idle), by each process
    of the Odoo server, by each PostgreSQL backend of ``db``, by this
    process (the clients)."""
    cpu = psutil.cpu_times()
    sample = {
        # as Linux counts: guest time is in user time already
        "machine": cpu.user + cpu.nice + cpu.system + cpu.irq + cpu.softirq + cpu.steal,
        "clients": time.process_time(),
        "odoo": {},
        "postgres": {},
    }
    try:
        server = psutil.Process(server_pid)
        tree = [server, *server.children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    backends = [
        process
        for process in psutil.process_iter(["name", "cmdline"])
        if process.info["name"] == "postgres"
        and f" {db} " in " ".join(process.info["cmdline"] or [])
    ]
    for key, processes in (("odoo", tree), ("postgres", backends)):
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            sample[key][process.pid] = times.user + times.system
    return sample


def cores_used(start, end, seconds):
    """Cores busy on average between two samples, by user."""
    used = {key: end[key] - start[key] for key in ("machine", "clients")}
    for key in ("odoo", "postgres"):
        used[key] = sum(cpu - start[key].get(pid, 0) for pid, cpu in end[key].items())
    used["other"] = used["machine"] - used["odoo"] - used["postgres"] - used["clients"]
    return {key: value / seconds for key, value in used.items()}


def customers():
    """bench.py's customers, repeated as CUSTOMERS people with a mobile
    number and an e-mail of their own."""
    templates = bench.customers()
    return [
        {
            **templates[index % len(templates)],
            "phone": f"+86 139 {index // 10000:04d} {index % 10000:04d}",
            "email": f"load.customer{index + 1}@example.com",
        }
        for index in range(CUSTOMERS)
    ]


class Stats:
    """What one client sent and was answered."""

    def __init__(self):
        self.calls = 0  # timed calls, failed or not
        self.latencies = {kind: [] for kind in KINDS}  # seconds, timed calls
        self.timed = dict.fromkeys(KINDS, 0)  # accepted by the timed calls
        # key of the item: times it was answered created / applied
        self.accepted = {kind: collections.Counter() for kind in KINDS}
        self.errors = collections.Counter()  # message: times
        self.states = collections.Counter()  # verification state of orders


def last_line(text):
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def send(client, stats, kind, items, timed):
    """One call of ``items``; what it answered goes to ``stats``."""
    model, method, accepted, key = KINDS[kind]
    stats.calls += timed
    start = time.perf_counter()
    try:
        results = client.call(model, method, items)
    except xmlrpc.client.Fault as fault:
        stats.errors[f"{method}: fault: {last_line(fault.faultString)}"] += 1
        return
    except (OSError, xmlrpc.client.ProtocolError) as error:
        stats.errors[f"{method}: {type(error).__name__}: {error}"] += 1
        return
    if timed:
        stats.latencies[kind].append(time.perf_counter() - start)
    if len(results) != len(items):
        stats.errors[f"{method}: {len(results)} answers to {len(items)}"] += 1
        return
    for result, item in zip(results, items, strict=True):
        if result.get("result") != accepted:
            reasons = "; ".join(result.get("errors") or [])
            stats.errors[f"{method}: {result.get('result')}: {reasons}"] += 1
            continue
        stats.accepted[kind][item[key]] += 1
        stats.timed[kind] += timed
        if kind == "orders":
            stats.states[result.get("verification_state")] += 1


class Run:
    """The clients of one server, started together once warm."""

    def __init__(self, args, server, maker, deliveries, tag, clients):
        self.args, self.server, self.url, self.tag = args, server, server.url, tag
        self.maker, self.maker_lock = maker, threading.Lock()
        self.deliveries = deliveries
        self.stats = [Stats() for _index in range(clients)]
        self.barrier = threading.Barrier(clients, action=self._start_clock)
        self.start = self.deadline = self.cpu = None

    def _start_clock(self):
        self.cpu = cpu_sample(self.server.process.pid, self.args.db)
        self.start = time.perf_counter()
        self.deadline = self.start + self.args.duration

    def orders(self):
        with self.maker_lock:
            return [self.maker.intake() for _index in range(self.args.batch)]

    def client(self, index):
        """One client thread: its rounds until the deadline."""
        stats = self.stats[index]
        try:
            self._rounds(index, stats)
        except Exception as error:
            # the others stop too, if still warming up
            stats.errors[f"client {index}: {type(error).__name__}: {error}"] += 1
            self.barrier.abort()

    def _rounds(self, index, stats):
        args = self.args
        client = bench.Client(self.url, args.db, args.login, args.password)
        count = len(self.stats)
        deliveries = self.deliveries[index::count] or [
            self.deliveries[index % len(self.deliveries)]
        ]
        for round_ in itertools.count():
            if round_ == args.warmup:
                try:
                    self.barrier.wait()
                except threading.BrokenBarrierError:
                    return
            timed = round_ >= args.warmup
            if timed and time.perf_counter() >= self.deadline:
                break
            send(client, stats, "orders", self.orders(), timed)
            if args.event_batch:
                # each call's events have ids of their own
                call_tag = f"{self.tag}-C{index:02d}-{round_:05d}"
                events = bench.make_events(deliveries, args.event_batch, call_tag)
                send(client, stats, "events", events, timed)

    def go(self):
        threads = [
            threading.Thread(target=self.client, args=(index,))
            for index in range(len(self.stats))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self.start is None:
            raise LoadError("the clients could not start: " + self.errors()[0][0])
        seconds = time.perf_counter() - self.start
        self.cpu = cores_used(
            self.cpu, cpu_sample(self.server.process.pid, self.args.db), seconds
        )
        return seconds

    def total(self, attribute, kind=None):
        values = [getattr(stats, attribute) for stats in self.stats]
        if kind is not None:
            values = [value[kind] for value in values]
        return sum(values, start=values[0].__class__())

    def errors(self):
        return self.total("errors").most_common()


def percentile(values, percent):
    """Nearest-rank percentile in milliseconds ("-" without values)."""
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{1000 * ordered[math.ceil(percent / 100 * len(ordered)) - 1]:.0f}"


def read_back(client, tag, accepted):
    """Lost, duplicated and unreported items of each kind."""
    found = {}
    for kind, model in READ_BACK.items():
        key = KINDS[kind][3]
        records = client.call(
            model, "search_read", [(key, "=like", f"{tag}-%")], fields=[key]
        )
        found[kind] = collections.Counter(record[key] for record in records)
    return {
        "lost": sum(
            1 for kind in KINDS for ref in accepted[kind] if not found[kind][ref]
        ),
        "duplicated": sum(
            count - 1 for kind in KINDS for count in found[kind].values() if count > 1
        ),
        "unreported": sum(
            1 for kind in KINDS for ref in found[kind] if ref not in accepted[kind]
        ),
    }


def server_log_summary(path, offset):
    """Serialization failures retried and ERROR lines written since
    ``offset``: (retries, retries given up, error lines)."""
    retries, given_up, errors = 0, 0, []
    with open(path, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        for line in log:
            if "tries left, try again" in line:
                retries += 1
            elif "maximum number of tries reached" in line:
                given_up += 1
            elif " ERROR " in line:
                errors.append(line.rstrip())
    return retries, given_up, errors


class Load:
    """The runs, one per number of workers, with one maker of orders."""

    def __init__(self, args):
        self.args = args
        self.customer_data = customers()
        self.maker = None

    def measure(self, workers):
        """One run against a server of ``workers`` workers: its row."""
        args = self.args
        clients = args.clients or 2 * workers
        log = args.server_log
        offset = os.path.getsize(log) if os.path.exists(log) else 0
        server = Server([*args.odoo_args, "--logfile", log], workers)
        try:
            server.wait_ready()
            admin = bench.Client(server.url, args.db, args.login, args.password)
            products, partner_ids = bench.set_up(admin, self.customer_data)
            tag = f"LOAD-{time.strftime('%Y%m%d%H%M%S')}-W{workers}"
            deliveries = bench.set_up_deliveries(admin, products, partner_ids, tag)
            if self.maker is None:
                self.maker = bench.OrderMaker(
                    products, self.customer_data, partner_ids, tag
                )
            # the count goes on from run to run: no order repeats another
            self.maker.run_tag = tag
            run = Run(args, server, self.maker, deliveries, tag, clients)
            seconds = run.go()
            accepted = {kind: run.total("accepted", kind) for kind in KINDS}
            checks = read_back(admin, tag, accepted)
        finally:
            server.stop()
        retries, given_up, log_errors = server_log_summary(log, offset)
        row = {
            "workers": workers,
            "clients": clients,
            "seconds": seconds,
            "calls": run.total("calls"),
            "orders": run.total("timed", "orders"),
            "events": run.total("timed", "events"),
            "latencies": run.total("latencies", "orders"),
            "event_latencies": run.total("latencies", "events"),
            "errors": run.errors(),
            "states": run.total("states"),
            "retries": retries,
            "given_up": given_up,
            "log_errors": log_errors,
            "cpu": run.cpu,
            **checks,
        }
        print_run(row)
        return row


def print_run(row):
    states = ", ".join(
        f"{count} {state}"
        for state, count in sorted(row["states"].items(), key=lambda i: str(i[0]))
    )
    print(
        f"  {row['workers']} worker(s), {row['clients']} clients: "
        f"{row['seconds']:.1f} s, {row['orders']} orders, {row['events']} events; "
        f"tracking calls p50 {percentile(row['event_latencies'], 50)} ms, "
        f"p95 {percentile(row['event_latencies'], 95)} ms; orders {states}; "
        f"server: {row['retries']} serialization retries, "
        f"{row['given_up']} given up, {len(row['log_errors'])} ERROR lines",
        flush=True,
    )
    cpu = row["cpu"]
    print(
        f"    cores busy on average: {cpu['machine']:.2f} = Odoo {cpu['odoo']:.2f}"
        f" + PostgreSQL {cpu['postgres']:.2f} + clients {cpu['clients']:.2f}"
        f" + other {cpu['other']:.2f}",
        flush=True,
    )
    if cpu["other"] > BUSY_ELSEWHERE:
        print(
            f"    the machine was busy with other work ({cpu['other']:.2f} cores):"
            " these figures understate what the server can do",
            flush=True,
        )
    for message, count in row["errors"][:10]:
        print(f"    error x{count}: {message}", file=sys.stderr)
    for line in row["log_errors"][:5]:
        print(f"    server log: {line}", file=sys.stderr)


def print_table(rows):
    header = (
        "workers",
        "clients",
        "calls",
        "orders/s",
        "p50 ms",
        "p95 ms",
        "events/s",
        "errors",
        "lost",
        "duplicated",
        "unreported",
        "retries",
    )
    lines = [header] + [
        (
            str(row["workers"]),
            str(row["clients"]),
            str(row["calls"]),
            f"{row['orders'] / row['seconds']:.1f}",
            percentile(row["latencies"], 50),
            percentile(row["latencies"], 95),
            f"{row['events'] / row['seconds']:.0f}",
            str(sum(count for _message, count in row["errors"])),
            str(row["lost"]),
            str(row["duplicated"]),
            str(row["unreported"]),
            str(row["retries"]),
        )
        for row in rows
    ]
    widths = [max(len(line[col]) for line in lines) for col in range(len(header))]
    for line in lines:
        print(
            "  ".join(
                cell.rjust(width) for cell, width in zip(line, widths, strict=True)
            )
        )


def print_ratios(rows):
    rates = {row["workers"]: row["orders"] / row["seconds"] for row in rows}
    if not rates.get(1):
        return
    for workers, rate in rates.items():
        if workers == 1:
            continue
        verdict = ""
        if workers == 2:
            met = rate / rates[1] >= TARGET_RATIO
            verdict = f" (target >= {TARGET_RATIO}x: {'met' if met else 'NOT met'})"
        print(
            f"orders/s with {workers} workers / with 1 worker: "
            f"{rate / rates[1]:.2f}x{verdict}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--server-log", required=True, help="the servers' log file")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, in turn")
    parser.add_argument(
        "--clients", type=int, default=0, help="clients per run (0: 2 per worker)"
    )
    parser.add_argument("--duration", type=float, default=30, help="seconds per run")
    parser.add_argument("--batch", type=int, default=10, help="orders per call")
    parser.add_argument(
        "--event-batch", type=int, default=50, help="tracking events per call (0: none)"
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="untimed rounds per client first"
    )
    parser.add_argument("odoo_args", nargs="*", help="arguments of every server")
    args = parser.parse_args(argv)
    try:
        worker_counts = [int(count) for count in args.workers.split(",")]
    except ValueError:
        parser.error("--workers: numbers separated by commas, e.g. 1,2,4")
    if min(worker_counts) < 1 or args.clients < 0 or args.duration <= 0:
        parser.error("--workers positive, --clients not negative, --duration > 0")
    if not 1 <= args.batch <= 500 or not 0 <= args.event_batch <= 1000:
        parser.error("--batch from 1 to 500, --event-batch from 0 to 1000")
    if args.warmup < 0:
        parser.error("--warmup not negative")

    socket.setdefaulttimeout(CALL_TIMEOUT)
    load = Load(args)
    print(
        f"food_order_center load: {args.duration:g} s per run, orders of 3 lines "
        f"in calls of {args.batch}, {args.event_batch} tracking events per call, "
        f"{args.warmup} warm-up rounds per client, database {args.db}",
        flush=True,
    )
    rows = []
    try:
        for workers in worker_counts:
            rows.append(load.measure(workers))
    except (LoadError, bench.BenchError, xmlrpc.client.Error, OSError) as error:
        # a call of the set-up or of the read-back failed, or a server
        message = getattr(error, "faultString", None) or error
        print(f"load: {type(error).__name__}: {message}", file=sys.stderr)
        return 1
    print()
    print_table(rows)
    print()
    print_ratios(rows)
    failed = sum(
        sum(count for _message, count in row["errors"])
        + row["lost"]
        + row["duplicated"]
        + row["unreported"]
        for row in rows
    )
    if failed:
        print(
            "load: FAILED: calls or orders or events failed, or orders or events "
            "were lost, duplicated or unreported (see above)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
