"""Two Odoo nodes on one database and one filestore, with OCA queue_job.

Usage: nodes.py --db DB --server-log LOG [--orders 300] [--queue-size 50]
                [--login admin] [--password admin] -- ODOO_ARGS...

Starts two Odoo servers (the nodes) of 2 workers each on the same database
and data directory, both with ``queue_job`` as a server-wide module (each
starts a job runner; one becomes the master). Sends one intake batch of
``--orders`` orders to the first node, above the queue size set in the
company: every order comes back ``queued``. Polls ``intake_status`` on the
second node until no order is queued, then checks that every order exists
exactly once, that each job ran in a worker of one of the nodes, and that
the same batch sent again to the second node gives ``duplicate`` only.
Then sends a second batch to the first node and stops that node (whose
runner was the master) while the jobs run: the second node's runner takes
over, and every order of the batch exists once.

Prints what it measured; exits 1 when a check fails.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import argparse
import os
import sys
import time

import bench
import psutil
from load import Server, customers

POLL_SECONDS = 2
# the jobs of the batch, one after another on the cluster's 2 channels
DONE_WITHIN = 600


class NodesError(Exception):
    pass


def worker_pids(server):
    """The processes of a node: its master and all it started."""
    master = psutil.Process(server.process.pid)
    return {master.pid} | {child.pid for child in master.children(recursive=True)}


def poll(client, refs):
    """intake_status until no order is queued: the results, the seconds."""
    start = time.monotonic()
    while True:
        statuses = client.call("sale.order", "intake_status", refs)
        queued = sum(status["result"] == "queued" for status in statuses)
        if not queued:
            return statuses, time.monotonic() - start
        if time.monotonic() - start > DONE_WITHIN:
            raise NodesError(f"{queued} orders still queued after {DONE_WITHIN} s")
        time.sleep(POLL_SECONDS)


def run(args):
    # the cluster runs 2 jobs at a time, whichever node's runner is master
    os.environ.setdefault("ODOO_QUEUE_JOB_CHANNELS", "root:2")
    nodes = [
        Server(
            [
                *args.odoo_args,
                *("--load", "base,web,queue_job"),
                *("--logfile", f"{args.server_log}.node{index}"),
            ],
            2,
        )
        for index in (1, 2)
    ]
    try:
        for node in nodes:
            node.wait_ready()
        first, second = (
            bench.Client(node.url, args.db, args.login, args.password) for node in nodes
        )
        customer_data = customers()
        products, partner_ids = bench.set_up(first, customer_data)
        company_id = first.call("res.users", "read", [first.uid], ["company_id"])[0][
            "company_id"
        ][0]
        first.call(
            "res.company",
            "write",
            [company_id],
            {"food_intake_queue_size": args.queue_size},
        )
        tag = f"NODES-{time.strftime('%Y%m%d%H%M%S')}"
        maker = bench.OrderMaker(products, customer_data, partner_ids, tag)
        batch = [maker.intake() for _index in range(args.orders)]
        refs = [
            {"platform": order["platform"], "external_ref": order["external_ref"]}
            for order in batch
        ]

        start = time.monotonic()
        results = first.call("sale.order", "intake_orders", batch)
        sent = time.monotonic() - start
        answers = {result["result"] for result in results}
        print(
            f"  node 1: {args.orders} orders sent in one call, answered in "
            f"{sent:.1f} s: {', '.join(sorted(answers))}"
        )
        if answers != {"queued"}:
            raise NodesError(f"expected every order queued, got {sorted(answers)}")

        statuses, waited = poll(second, refs)
        outcomes = {}
        for status in statuses:
            outcomes[status["result"]] = outcomes.get(status["result"], 0) + 1
        print(
            f"  node 2: polled intake_status until none was queued: {waited:.0f} s, "
            f"{outcomes}"
        )
        if outcomes != {"created": args.orders}:
            raise NodesError(f"expected {args.orders} orders created, got {outcomes}")

        found = first.call(
            "sale.order",
            "read_group",
            [("external_ref", "=like", f"{tag}-%")],
            ["external_ref"],
            ["external_ref"],
            lazy=False,
        )
        twice = [group for group in found if group["__count"] != 1]
        print(f"  orders in the database: {len(found)} references, {len(twice)} twice")
        if len(found) != args.orders or twice:
            raise NodesError("an order is missing or was created twice")

        uuids = [result["job_uuid"] for result in results]
        jobs = first.call(
            "queue.job",
            "search_read",
            [("uuid", "in", uuids)],
            ["state", "worker_pid"],
        )
        pids = [worker_pids(node) for node in nodes]
        per_node = [sum(job["worker_pid"] in node for job in jobs) for node in pids]
        states = {job["state"] for job in jobs}
        print(
            f"  jobs: {len(jobs)}, {', '.join(sorted(states))}; run by the workers "
            f"of node 1: {per_node[0]}, node 2: {per_node[1]}"
        )
        if len(jobs) != args.orders or states != {"done"} or sum(per_node) != len(jobs):
            raise NodesError("a job did not run, or not in a node's worker")

        again = second.call("sale.order", "intake_orders", batch)
        answers = {result["result"] for result in again}
        print(f"  node 2: the same batch again: {', '.join(sorted(answers))}")
        if answers != {"duplicate"}:
            raise NodesError(f"expected duplicates only, got {sorted(answers)}")

        # the node whose runner is master leaves while its jobs run
        maker.run_tag = f"{tag}-B"
        batch = [maker.intake() for _index in range(args.orders)]
        refs = [
            {"platform": order["platform"], "external_ref": order["external_ref"]}
            for order in batch
        ]
        results = first.call("sale.order", "intake_orders", batch)
        while (
            sum(
                status["result"] == "created"
                for status in second.call("sale.order", "intake_status", refs)
            )
            < args.orders // 10
        ):
            time.sleep(0.5)
        nodes[0].stop()
        print("  node 1 stopped while the jobs of a second batch ran")
        statuses, waited = poll(second, refs)
        outcomes = {}
        for status in statuses:
            outcomes[status["result"]] = outcomes.get(status["result"], 0) + 1
        jobs = second.call(
            "queue.job",
            "search_read",
            [("uuid", "in", [result["job_uuid"] for result in results])],
            ["state", "worker_pid"],
        )
        per_node = [sum(job["worker_pid"] in node for job in jobs) for node in pids]
        found = second.call(
            "sale.order",
            "search_count",
            [("external_ref", "=like", f"{maker.run_tag}-%")],
        )
        print(
            f"  node 2: polled until none was queued: {waited:.0f} s, {outcomes}; "
            f"{found} orders; jobs run by node 1: {per_node[0]}, node 2: {per_node[1]}"
        )
        if outcomes != {"created": args.orders} or found != args.orders:
            raise NodesError("the second batch was not processed once by node 2")
        if not per_node[1]:
            raise NodesError("node 2's runner did not take over")
    finally:
        for node in nodes:
            node.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--server-log", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--queue-size", type=int, default=50)
    parser.add_argument("odoo_args", nargs="*")
    args = parser.parse_args(argv)
    print(
        f"food_order_center nodes: 2 nodes of 2 workers on database {args.db}, "
        f"{args.orders} orders in one call, queued above {args.queue_size}"
    )
    try:
        run(args)
    except (NodesError, OSError, bench.BenchError) as error:
        print(f"nodes: FAILED: {error}", file=sys.stderr)
        return 1
    print("nodes: every order queued, processed once and polled from the other node")
    return 0


if __name__ == "__main__":
    sys.exit(main())
