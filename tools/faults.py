"""Faults with real processes: what the order center does when an Odoo
worker dies, when PostgreSQL drops its connection, and when two users change
the same order or confirm orders at the same moment.

Usage: faults.py --db DB --server-log FILE --pidfile FILE [--batch 300] [--rounds 100]
                 [--confirm-orders 40] [--confirm-clients 4]
                 [--login admin] [--password admin] -- ODOO_ARGS...

Installs the addon without demo data in ``DB`` (which must not exist yet:
``python -m odoo ODOO_ARGS -d DB -i food_order_center --without-demo all``), then
serves it with 2 worker processes and no cron on a free port of 127.0.0.1
(tools/load.py's Server), sets up tools/bench.py's data (a sales platform,
10 food products in stock, 50 customers) and three users: an intake API
user, an order processor and an order-center manager. Then:

1. killed worker: a ``sale.order.intake_orders`` call of ``--batch`` orders;
   once its transaction has run 1 s, the worker serving it (PostgreSQL's
   ``application_name`` of the backend is ``odoo-<pid>``) gets SIGKILL.
   Expected: the client gets an error, no order of the batch exists, the
   server starts a new worker, the same batch sent again is ``created``,
   and once more ``duplicate``; each external_ref exists once. The client
   does not resend by itself (see 1b).
1b. the same with Python's own XML-RPC transport, which sends a request
   again, once, when the connection closes without an answer: the resent
   call is answered (on the other worker), each order is stored once.
2. terminated connection: the same, with ``pg_terminate_backend`` on the
   worker's backend. Expected: a clear error, nothing written, the retries
   as in 1; whether the worker survived is printed.
3. two users, one order: the processor the order is assigned to and the
   manager write its ``client_order_ref`` at the same moment (a barrier),
   ``--rounds`` times, each write a value of its own. Expected: every call
   succeeds or is refused without a traceback, and the audit trail holds
   exactly the successful writes, each one's old value the value before it
   (no update lost), the last one the order's value.
4. concurrent confirmations: ``--confirm-orders`` orders received through
   the intake API are confirmed by ``--confirm-clients`` manager clients at
   once, one order per call. Expected: all confirmed, the seals numbered
   1..n without gap or repeat, one confirmation seal per order, and
   ``food.order.seal.check_integrity()`` without problems.

Each scenario prints PASS or FAIL with its figures and the conflicts the
server retried (from its log). Exits 1 if any scenario fails.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import argparse
import collections
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client

import bench
import load
import psutil
import psycopg2

ADDON = "food_order_center"
PASSWORD = "Faults-2026-pass"
# the users of the run: login, group (food_order_center.<xmlid>)
USERS = {
    "intake": ("faults.intake", "group_order_intake"),
    "processor": ("faults.processor", "group_order_processor"),
    "manager": ("faults.manager", "group_order_center_manager"),
}
# a call stuck beyond this fails (the server's limits are higher)
CALL_TIMEOUT = 300
# a batch's transaction has run this long when it is interrupted
INTERRUPT_AFTER = 1.0
WAIT_SECONDS = 60
REASON = "Fault test: confirmed by the manager without verification."


class FaultsError(Exception):
    pass


def last_line(text):
    return load.last_line(text) or str(text)


def describe(error):
    """What a client got, in one line."""
    if isinstance(error, xmlrpc.client.Fault):
        if "Traceback" not in error.faultString:
            return f"XML-RPC Fault: {last_line(error.faultString)}"
        # the server's traceback: the exceptions it names, first to last
        raised = re.findall(
            r"^(\w[\w.]*(?:Error|Exception)\b.*)$", error.faultString, re.M
        )
        return f"XML-RPC Fault with a traceback: {' / '.join(dict.fromkeys(raised))}"
    if isinstance(error, xmlrpc.client.ProtocolError):
        return f"HTTP {error.errcode} {error.errmsg}"
    return f"{type(error).__name__}: {error}"


class Context:
    """The server, the database and the users of the run."""

    def __init__(self, args):
        self.args = args
        self.server = None
        self.pg = None
        self.users = {}
        self.products = self.partner_ids = None
        self.customer_data = bench.customers()
        self.tag = f"FAULTS-{time.strftime('%Y%m%d%H%M%S')}"
        self.maker = None

    # the server, PostgreSQL, the users

    def start(self):
        args = self.args
        # without -d: a registry the master loads before it forks names the
        # database connections of every worker after the master
        # (application_name odoo-<master pid>); each worker loads its own
        self.server = load.Server(
            [*args.odoo_args, "--logfile", args.server_log, "--pidfile", args.pidfile],
            2,
        )
        self.server.wait_ready()
        self.pg = psycopg2.connect(dbname=args.db)
        self.pg.autocommit = True
        admin = bench.Client(self.server.url, args.db, args.login, args.password)
        self.products, self.partner_ids = bench.set_up(admin, self.customer_data)
        self.maker = bench.OrderMaker(
            self.products, self.customer_data, self.partner_ids, self.tag
        )
        for key, (login, group) in USERS.items():
            [group_id] = admin.call(
                "ir.model.data",
                "search_read",
                [("module", "=", ADDON), ("name", "=", group)],
                fields=["res_id"],
            )
            admin.call(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": login,
                    "password": PASSWORD,
                    "groups_id": [(6, 0, [group_id["res_id"]])],
                },
            )
            self.users[key] = login

    def client(self, key):
        return bench.Client(self.server.url, self.args.db, self.users[key], PASSWORD)

    def sql(self, query, *params):
        with self.pg.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def warm(self):
        """Calls until every worker has loaded the registry (its database
        connections are named after it): a worker loading it must not be
        taken for one serving a batch."""
        manager = self.client("manager")

        def loaded():
            names = {
                name
                for (name,) in self.sql(
                    "SELECT application_name FROM pg_stat_activity WHERE datname = %s",
                    self.args.db,
                )
            }
            return all(f"odoo-{pid}" in names for pid in self.workers())

        def calls():
            threads = [
                call_in_thread(manager, "sale.order", "search_count", [])[0]
                for _index in range(2)
            ]
            for thread in threads:
                thread.join()
            return loaded()

        if not wait_for(calls, step=0):
            raise FaultsError("the workers do not answer")

    def workers(self):
        """The server's live worker processes."""
        return {
            child.pid
            for child in psutil.Process(self.server.process.pid).children()
            if child.status() != psutil.STATUS_ZOMBIE
        }

    def log_offset(self):
        return os.path.getsize(self.args.server_log)

    def log_figures(self, offset):
        """The conflicts the server retried (by kind), gave up, and its ERROR
        lines since ``offset``."""
        retries, given_up, errors = load.server_log_summary(
            self.args.server_log, offset
        )
        with open(self.args.server_log, encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            kinds = collections.Counter(
                re.findall(r"(\w+), \d+ tries left", log.read())
            )
        # Odoo logs each query refused by a conflict, retried or not, as ERROR
        others = [line for line in errors if "odoo.sql_db: bad query" not in line]
        return {
            "retries": retries,
            "kinds": kinds,
            "given_up": given_up,
            "errors": errors,
            "others": others,
        }

    def batch(self, size):
        return [self.maker.intake() for _index in range(size)]

    def stored_refs(self, refs):
        """{external_ref: times it is stored} of the orders of ``refs``."""
        rows = self.sql(
            "SELECT external_ref, count(*) FROM sale_order"
            " WHERE external_ref = ANY(%s) GROUP BY external_ref",
            list(refs),
        )
        return dict(rows)

    def busy_backend(self, since):
        """The backend of a worker whose transaction started after ``since``
        (PostgreSQL's clock) and has run long enough: (backend pid, worker
        pid, seconds, state)."""
        rows = self.sql(
            """SELECT pid, application_name,
                      extract(epoch FROM now() - xact_start), state
                 FROM pg_stat_activity
                WHERE datname = %s AND application_name LIKE 'odoo-%%'
                  AND state <> 'idle' AND pid <> pg_backend_pid()
                  AND xact_start > %s
                  AND xact_start < now() - make_interval(secs => %s)
                ORDER BY xact_start""",
            self.args.db,
            since,
            INTERRUPT_AFTER,
        )
        workers = self.workers()
        for pid, name, seconds, state in rows:
            worker = int(name.split("-", 1)[1])
            if worker in workers:
                return pid, worker, float(seconds), state
        return None


def format_log(figures):
    kinds = ", ".join(f"{count} {kind}" for kind, count in figures["kinds"].items())
    return (
        f"server: {figures['retries']} conflicts retried ({kinds or 'none'}), "
        f"{figures['given_up']} given up; {len(figures['errors'])} ERROR lines, "
        f"{len(figures['errors']) - len(figures['others'])} of them a query "
        "refused ('bad query')"
    )


def wait_for(predicate, seconds=WAIT_SECONDS, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def call_in_thread(client, model, method, *args):
    """Start the call in a thread: (thread, outcome dict)."""
    outcome = {}

    def run():
        start = time.perf_counter()
        try:
            outcome["result"] = client.call(model, method, *args)
        except Exception as error:
            outcome["error"] = error
        outcome["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def results_of(results, expected, batch):
    """The external_refs of ``batch`` whose result is not ``expected``."""
    if len(results) != len(batch):
        return [f"{len(results)} results for {len(batch)} orders"]
    return [
        f"{order['external_ref']}: {result.get('result')}"
        for result, order in zip(results, batch, strict=True)
        if result.get("result") != expected
    ]


class SingleTry(xmlrpc.client.Transport):
    """Python's XML-RPC transport sends a request again, once, when the
    server closes the connection without an answer: this one does not."""

    def request(self, host, handler, request_body, verbose=False):
        return self.single_request(host, handler, request_body, verbose)


def interrupt_batch(ctx, batch, interrupt, resend):
    """Send ``batch`` and interrupt its transaction once it has run
    INTERRUPT_AFTER: (outcome of the call, worker pid, lines)."""
    ctx.warm()
    client = ctx.client("intake")
    if not resend:
        client.models = xmlrpc.client.ServerProxy(
            f"{ctx.server.url}/xmlrpc/2/object", allow_none=True, transport=SingleTry()
        )
    [(since,)] = ctx.sql("SELECT clock_timestamp()")
    thread, outcome = call_in_thread(client, "sale.order", "intake_orders", batch)
    busy = wait_for(lambda: ctx.busy_backend(since))
    if not busy:
        thread.join(CALL_TIMEOUT)
        raise FaultsError(
            f"no worker was busy with the batch for {INTERRUPT_AFTER} s "
            f"(the call {'failed' if 'error' in outcome else 'ended'} first): "
            "send a bigger --batch"
        )
    backend, worker, seconds, state = busy
    what = interrupt(backend, worker)
    thread.join(CALL_TIMEOUT)
    lines = [
        f"{len(batch)} orders, a client that "
        f"{'resends once (Python default)' if resend else 'does not resend'}; "
        f"{what} after {seconds:.1f} s of its transaction "
        f"(worker {worker}, backend {backend} {state})"
    ]
    gone = wait_for(
        lambda: not ctx.sql("SELECT 1 FROM pg_stat_activity WHERE pid = %s", backend)
    )
    if not gone:
        lines.append(f"its PostgreSQL backend still runs after {WAIT_SECONDS} s")
    return outcome, worker, lines


def interrupted_intake(ctx, interrupt, resend=False, clear_error=False):
    """One batch interrupted by ``interrupt(backend pid, worker pid)``, then
    sent again twice: (failures, lines). With ``clear_error``, the client
    must get a refusal that says what happened, not a traceback."""
    batch = ctx.batch(ctx.args.batch)
    refs = [order["external_ref"] for order in batch]
    workers_before = ctx.workers()
    outcome, worker, lines = interrupt_batch(ctx, batch, interrupt, resend)
    stored = ctx.stored_refs(refs)
    failures = []
    if "error" in outcome:
        error = outcome["error"]
        lines.append(f"the client got: {describe(error)}")
        expected = ["created", "duplicate"]
        if clear_error and not (
            isinstance(error, xmlrpc.client.Fault)
            and error.faultCode == 2
            and "Traceback" not in error.faultString
        ):
            failures.append("the error is not a clear refusal (fault code 2)")
    else:
        wrong = results_of(outcome["result"], "created", batch)
        lines.append(
            f"the client got an answer after {outcome['seconds']:.1f} s: "
            f"{len(batch) - len(wrong)} created"
        )
        if wrong or not resend:
            failures.append(f"an answer, not an error; not created: {wrong[:3]}")
        expected = ["duplicate", "duplicate"]
    lines.append(f"orders of the batch in the database then: {len(stored)}")
    if stored and "error" in outcome:
        failures.append(f"{len(stored)} orders of the failed call were written")
    # the master starts a new worker for one that died
    workers = wait_for(
        lambda: len(ctx.workers()) >= len(workers_before) and ctx.workers()
    )
    lines.append(
        f"worker {worker} {'survived' if worker in ctx.workers() else 'is gone'}; "
        f"workers now {sorted(ctx.workers())} (before {sorted(workers_before)})"
    )
    if not workers:
        failures.append("the server has not its workers again")
    for result in expected:
        start = time.perf_counter()
        results = ctx.client("intake").call("sale.order", "intake_orders", batch)
        wrong = results_of(results, result, batch)
        lines.append(
            f"sent again: {len(batch) - len(wrong)} {result} "
            f"in {time.perf_counter() - start:.1f} s"
        )
        if wrong:
            failures.append(f"not {result}: {wrong[:3]}")
    stored = ctx.stored_refs(refs)
    once = sum(1 for count in stored.values() if count == 1)
    lines.append(f"each external_ref stored once: {once} of {len(refs)}")
    if once != len(refs) or len(stored) != len(refs):
        failures.append("an order is missing or stored twice")
    return failures, lines


def kill_worker(_backend, worker):
    os.kill(worker, signal.SIGKILL)
    return "kill -9 of its worker"


def scenario_killed_worker(ctx):
    return interrupted_intake(ctx, kill_worker)


def scenario_killed_worker_resent(ctx):
    return interrupted_intake(ctx, kill_worker, resend=True)


def scenario_terminated_connection(ctx):
    def terminate(backend, _worker):
        [(done,)] = ctx.sql("SELECT pg_terminate_backend(%s)", backend)
        if not done:
            raise FaultsError(f"pg_terminate_backend({backend}) did nothing")
        return "pg_terminate_backend of its connection"

    return interrupted_intake(ctx, terminate, clear_error=True)


def concurrent_writes(ctx, order_id, rounds):
    """The processor and the manager write the order's client_order_ref at
    the same moment, ``rounds`` times: [(value, user key, error or None)]."""
    barrier = threading.Barrier(2)
    calls = []
    lock = threading.Lock()

    def writer(key, prefix):
        client = ctx.client(key)
        for index in range(rounds):
            value = f"{prefix}-{index:04d}"
            barrier.wait()
            try:
                client.call(
                    "sale.order", "write", [order_id], {"client_order_ref": value}
                )
                error = None
            except (xmlrpc.client.Error, OSError) as exc:
                error = exc
            with lock:
                calls.append((value, key, error))

    threads = [
        threading.Thread(target=writer, args=(key, prefix))
        for key, prefix in (("processor", "P"), ("manager", "M"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return calls


def audit_of(manager, order_id, field):
    """The write entries of the order's ``field`` in the audit trail, oldest
    first: [(user login, old value, new value)]."""
    logs = manager.call(
        "food.audit.log",
        "search_read",
        [
            ("res_model", "=", "sale.order"),
            ("res_id", "=", order_id),
            ("operation", "=", "write"),
        ],
        fields=["user_id"],
        order="id",
    )
    users = {log["id"]: log["user_id"] and log["user_id"][1] for log in logs}
    lines = manager.call(
        "food.audit.log.line",
        "search_read",
        [("log_id", "in", list(users)), ("field_name", "=", field)],
        fields=["log_id", "old_value", "new_value"],
    )
    lines.sort(key=lambda line: (line["log_id"][0], line["id"]))
    return [
        (users[line["log_id"][0]], line["old_value"] or "", line["new_value"] or "")
        for line in lines
    ]


def scenario_same_order(ctx):
    rounds = ctx.args.rounds
    [order] = ctx.batch(1)
    [result] = ctx.client("intake").call("sale.order", "intake_orders", [order])
    order_id = result["order_id"]
    manager = ctx.client("manager")
    processor_uid = ctx.client("processor").uid
    manager.call("sale.order", "write", [order_id], {"processor_id": processor_uid})
    [before] = manager.call("sale.order", "read", [order_id], ["client_order_ref"])
    before = before["client_order_ref"] or ""
    start = time.perf_counter()
    calls = concurrent_writes(ctx, order_id, rounds)
    seconds = time.perf_counter() - start
    done = {value: key for value, key, error in calls if error is None}
    refused = collections.Counter(describe(e) for _v, _k, e in calls if e is not None)
    failures = [
        f"{count} refused {message}"
        for message, count in refused.items()
        if "traceback" in message or not message.startswith("XML-RPC Fault")
    ]
    lines = [
        f"{len(calls)} writes of client_order_ref by the assigned processor and "
        f"the manager, 2 at a time, in {seconds:.1f} s: {len(done)} succeeded, "
        f"{len(calls) - len(done)} refused"
    ]
    lines += [f"refused x{count}: {message}" for message, count in refused.items()]
    written = {value for value, _key, _error in calls}
    entries = [
        e for e in audit_of(manager, order_id, "client_order_ref") if e[2] in written
    ]
    lines.append(f"audit trail entries of these writes: {len(entries)}")
    if sorted(e[2] for e in entries) != sorted(done):
        failures.append(
            f"{len(done)} successful writes but {len(entries)} audit entries "
            "(or an entry of a refused write)"
        )
    wrong_user = [e for e in entries if e[0] != ctx.users[done.get(e[2], "intake")]]
    lost = [
        (previous[2], entry[1])
        for previous, entry in zip(
            [(None, None, before), *entries[:-1]], entries, strict=True
        )
        if entry[1] != previous[2]
    ]
    lines.append(
        f"entries whose old value is not the previous write's new value "
        f"(a lost update): {len(lost)}; entries of the wrong user: {len(wrong_user)}"
    )
    if lost or wrong_user:
        failures.append(f"lost updates {lost[:3]}, wrong users {wrong_user[:3]}")
    [final] = manager.call("sale.order", "read", [order_id], ["client_order_ref"])
    last = entries[-1][2] if entries else before
    lines.append(f"final value {final['client_order_ref']!r}, last audited {last!r}")
    if final["client_order_ref"] != last:
        failures.append("the order's value is not the last write's")
    return failures, lines


def confirm_all(ctx, order_ids, unverified, clients):
    """Confirm the orders from ``clients`` manager clients at once, one order
    per call (the manager's override with a reason for those not verified):
    {order id: error or None}."""
    todo = queue.Queue()
    for order_id in order_ids:
        todo.put(order_id)
    outcome = {}

    def confirmer():
        client = ctx.client("manager")
        while True:
            try:
                order_id = todo.get_nowait()
            except queue.Empty:
                return
            try:
                if order_id in unverified:
                    client.call(
                        "sale.order", "action_confirm_unverified", [order_id], REASON
                    )
                else:
                    client.call("sale.order", "action_confirm", [order_id])
                outcome[order_id] = None
            except (xmlrpc.client.Error, OSError) as error:
                outcome[order_id] = error

    threads = [threading.Thread(target=confirmer) for _index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def scenario_confirmations(ctx):
    args = ctx.args
    batch = ctx.batch(args.confirm_orders)
    results = ctx.client("intake").call("sale.order", "intake_orders", batch)
    if results_of(results, "created", batch):
        raise FaultsError(
            f"orders not created: {results_of(results, 'created', batch)[:3]}"
        )
    order_ids = [result["order_id"] for result in results]
    manager = ctx.client("manager")
    unverified = manager.call(
        "sale.order",
        "search",
        [("id", "in", order_ids), ("verification_state", "!=", "verified")],
    )
    start = time.perf_counter()
    outcome = confirm_all(ctx, order_ids, set(unverified), args.confirm_clients)
    seconds = time.perf_counter() - start
    errors = collections.Counter(describe(e) for e in outcome.values() if e)
    states = collections.Counter(
        order["state"]
        for order in manager.call("sale.order", "read", order_ids, ["state"])
    )
    seals = manager.call(
        "food.order.seal",
        "search_read",
        [],
        fields=["sequence", "order_id", "reason"],
        order="sequence",
    )
    numbers = [seal["sequence"] for seal in seals]
    confirm_seals = collections.Counter(
        seal["order_id"][0] for seal in seals if seal["reason"] == "confirm"
    )
    check = manager.call("food.order.seal", "check_integrity")
    lines = [
        f"{len(order_ids)} orders ({len(unverified)} not verified) confirmed by "
        f"{args.confirm_clients} manager clients, one per call, in {seconds:.1f} s: "
        f"states {dict(states)}"
    ]
    lines += [f"refused x{count}: {message}" for message, count in errors.items()]
    lines.append(
        f"seals: {len(seals)}, numbered {numbers[:1]}..{numbers[-1:]}, "
        f"orders with one confirmation seal: "
        f"{sum(1 for i in order_ids if confirm_seals[i] == 1)}; integrity check: "
        f"{check['seals']} seals, {check['orders']} orders, "
        f"{len(check['problems'])} problems"
    )
    failures = []
    if errors or states.get("sale", 0) != len(order_ids):
        failures.append("not every order was confirmed")
    if numbers != list(range(1, len(numbers) + 1)):
        failures.append(f"the seals' numbers have gaps or repeats: {numbers}")
    if any(confirm_seals[i] != 1 for i in order_ids):
        failures.append("an order has no confirmation seal, or several")
    if check["problems"]:
        failures.append(f"integrity problems: {check['problems'][:3]}")
    return failures, lines


SCENARIOS = [
    ("1. killed worker during a batch intake", scenario_killed_worker),
    (
        "1b. the same, the client resending once as Python's does",
        scenario_killed_worker_resent,
    ),
    (
        "2. PostgreSQL connection terminated during intake",
        scenario_terminated_connection,
    ),
    ("3. two users change the same order at once", scenario_same_order),
    ("4. concurrent confirmations and the seal chain", scenario_confirmations),
]


def run_scenario(ctx, title, scenario):
    """Run one scenario and print its verdict: True if it passed."""
    offset = ctx.log_offset()
    start = time.perf_counter()
    try:
        failures, lines = scenario(ctx)
    except (FaultsError, bench.BenchError, xmlrpc.client.Error, OSError) as error:
        failures, lines = [f"the scenario could not run: {describe(error)}"], []
    figures = ctx.log_figures(offset)
    verdict = "FAIL" if failures else "PASS"
    print(f"{verdict} {title} ({time.perf_counter() - start:.1f} s)")
    for line in [*lines, format_log(figures)]:
        print(f"    {line}")
    for line in figures["others"][:3]:
        print(f"    server log: {line[:300]}")
    for failure in failures:
        print(f"    FAILED: {failure}")
    sys.stdout.flush()
    return not failures


def install(args):
    print(f"food_order_center faults: installing the addon in database {args.db}")
    sys.stdout.flush()
    subprocess.run(
        [
            *(sys.executable, "-m", "odoo", *args.odoo_args, "-d", args.db),
            *("--logfile", args.server_log, "-i", ADDON),
            *("--without-demo", "all", "--stop-after-init"),
        ],
        check=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--server-log", required=True, help="the server's log file")
    parser.add_argument("--pidfile", required=True, help="the server's pid file")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--batch", type=int, default=300, help="orders interrupted")
    parser.add_argument("--rounds", type=int, default=60, help="concurrent writes")
    parser.add_argument("--confirm-orders", type=int, default=40)
    parser.add_argument("--confirm-clients", type=int, default=4)
    parser.add_argument("odoo_args", nargs="*", help="arguments of the server")
    args = parser.parse_args(argv)
    if not 1 <= args.batch <= 500 or args.rounds < 1:
        parser.error("--batch from 1 to 500, --rounds positive")
    if args.confirm_orders < 1 or args.confirm_clients < 1:
        parser.error("--confirm-orders and --confirm-clients positive")
    socket.setdefaulttimeout(CALL_TIMEOUT)
    try:
        install(args)
    except subprocess.CalledProcessError:
        print("faults: installing the addon failed, end of the log:", file=sys.stderr)
        with open(args.server_log, encoding="utf-8", errors="replace") as log:
            print("".join(log.readlines()[-40:]), file=sys.stderr)
        return 1
    ctx = Context(args)
    passed = []
    try:
        ctx.start()
        for title, scenario in SCENARIOS:
            passed.append(run_scenario(ctx, title, scenario))
    except (load.LoadError, bench.BenchError, xmlrpc.client.Error, OSError) as error:
        print(f"faults: the set-up failed: {describe(error)}", file=sys.stderr)
        return 1
    finally:
        if ctx.pg is not None:
            ctx.pg.close()
        if ctx.server is not None:
            ctx.server.stop()
    print(f"faults: {sum(passed)} of {len(SCENARIOS)} scenarios passed")
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
