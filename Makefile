# food_order_center — set-up commands (see README.md).
# Database connection: the standard PGHOST, PGPORT, PGUSER, PGPASSWORD variables.
.PHONY: run test lint compat compat-baseline bench bench-kpi load faults nodes backup restore

run:  ## install dependencies, create/upgrade the database, serve on :8069
	bash tools/run.sh

test:  ## install test dependencies, lint, run the whole suite in a throwaway database
	bash tools/test.sh

lint:  ## ruff + pylint-odoo only
	bash tools/lint.sh

compat:  ## tests of sale_stock, helpdesk_mgmt(_rating), rma and rma_sale with the addon installed
	bash tools/compat.sh

compat-baseline:  ## record which of those tests fail without the addon
	bash tools/compat.sh --baseline

bench:  ## throughput of the intake API against plain sale.order.create (not part of test)
	bash tools/bench.sh

bench-kpi:  ## speed of the analysis views on 1,000,000 orders (not part of test; ORDERS=..., KEEP_DB=1)
	bash tools/bench_kpi.sh $(if $(ORDERS),--orders $(ORDERS))

load:  ## orders and tracking events from concurrent clients, 1, 2 then 4 workers (not part of test; DURATION=s, CLIENTS=n)
	bash tools/load.sh $(if $(DURATION),--duration $(DURATION)) $(if $(CLIENTS),--clients $(CLIENTS))

faults:  ## killed worker, dropped connections, concurrent writes and confirmations, with real processes (not part of test)
	bash tools/faults.sh

nodes:  ## the queued intake on two Odoo nodes with queue_job's runner (not part of test; ORDERS=n)
	bash tools/nodes.sh $(if $(ORDERS),--orders $(ORDERS))

backup:  ## back up DB (database and filestore, one zip) to BACKUP_DIR, keep KEEP archives; prints its path
	bash tools/backup.sh backup

restore:  ## restore FILE=archive.zip into a new database DB=name (refuses an existing one)
	bash tools/backup.sh restore
