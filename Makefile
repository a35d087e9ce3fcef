# Optima: build, run, test, benchmark and reproduce the papers' figures.
# Every target builds what it needs with an optimised build (debug builds are slow
# in numeric loops).

SWIFT   ?= swift
RELEASE  = -c release
BIN      = .build/release

.PHONY: all build run test test-reference reference-cells test-slurm acceptance fuzz bench bench-quick bench-select clean help madelon

all: build

help:
	@echo "make run      train the reference workload (XOR k=3, p=15, n=3000, H=1024, 300 epochs)"
	@echo "make test     run the test suite (optimised build), the fuzz pass, the differential test, then the Slurm test where it can run"
	@echo "              (root, or Slurm installed); elsewhere it says it skipped it"
	@echo "make test-reference  the differential test: optima against the independent PyTorch reference"
	@echo "              (Benchmarks/peers/reference_pruning.py) from the same start, data and batches;"
	@echo "              skipped with one line where the peers' Python with torch is missing"
	@echo "make reference-cells  the papers' contested cells in the reference alone, into"
	@echo "              docs/reference/*.csv (two processes; about 30 minutes on 2 shared cores)"
	@echo "make test-slurm  a study as a Slurm job array under a real Slurm started here (root;"
	@echo "              installs slurm-wlm and munge if missing; fails where it cannot run;"
	@echo "              OPTIMA_SKIP_SLURM=1 skips it)"
	@echo "make acceptance  the long runs: optima select with every default on MADELON and on"
	@echo "              MADELON's design at p = 50, 200, 500"
	@echo "make fuzz     N damaged inputs on every surface through the built optima (N=1000,"
	@echo "              FUZZ_SEED=1); fails on a crash, hang, multi-line error or NaN in output"
	@echo "make bench    kernel GFLOP/s vs the measured FMA peak, ms/epoch vs the peers"
	@echo "make bench-select  optima select against Boruta, LassoNet and a forest on 7 kinds of generated"
	@echo "              data at 2 sizes each, one thread each (THREADS=N), about 16-20 minutes"
	@echo "make nsa      reproduce the nsa paper: the XOR study and the real-data Table 2 and Fig. 7 (SCALE=quick for a fast pass)"
	@echo "make xor-study  the nsa paper's XOR study alone"
	@echo "make cpna     reproduce the cpna paper: Figs 1-4, 6-8, Table 1 on XOR, Table 3 on real data, our items (alias cpna-study)"
	@echo "make counterexamples  the counterexamples paper: numerical proofs (Props. 1-5, Theorem 1, Figs. 4, 6) and trainings (Table 1, Figs. 1, 2, 3, 5)"
	@echo "make real-data  both papers' real-data tables: nsa-table2, nsa-fig7, cpna-table3 (ISOLET=DIR adds ISOLET)"
	@echo "make madelon  feature selection on MADELON with optima select's defaults (SEED=N for another seed)"
	@echo "make studies  every study of every paper; make study ID=nsa/fig2 for one"
	@echo "make clean    remove build products"

build:
	$(SWIFT) build $(RELEASE)

run: build
	$(BIN)/optima train --data xor --k 3 --p 15 --n 3000 --hidden 1024 --epochs 300 --batch 64 --lr 1e-3 --wd 1e-4 --seed 1

# The fuzz pass, the differential test and the Slurm test run the optima that `swift test`
# has just built beside the tests. The fuzz pass is 300 fixed cases (seed 1), under a
# minute; the differential test about 20 seconds. Where the peers' Python is missing, or
# the Slurm test cannot run (not root, no Slurm and no apt-get), each says so in one line
# and passes.
test:
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing
	python3 Tests/fuzz/fuzz.py --optima $(BIN)/optima --cases 300 --seed 1
	bash Tests/reference/run.sh $(BIN)/optima
	OPTIMA_SLURM_IF_POSSIBLE=1 bash Tests/slurm/run.sh $(BIN)/optima

# Optima against the independent PyTorch reference from the same start (docs/reference.md).
test-reference: build
	bash Tests/reference/run.sh $(BIN)/optima

# The papers' contested cells in the reference alone, into docs/reference/*.csv
# (docs/reference.md): two processes, one core and one thread each. The studies quote these
# files; ReferenceTableTests fails until their copies follow a re-run.
PEERS_PYTHON ?= $(or $(OPTIMA_PEERS_PYTHON),$(abspath $(or $(OPTIMA_PEERS_DIR),../shared/peers))/.venv/bin/python)
reference-cells:
	cd Benchmarks/peers && $(PEERS_PYTHON) reference_cells.py --out ../../docs/reference --jobs 2

# Damaged inputs on every surface of the command line (Tests/fuzz/fuzz.py): N cases from
# FUZZ_SEED, the counts by surface and exit status, each defect with its command and files.
N ?= 1000
FUZZ_SEED ?= 1
fuzz: build
	python3 Tests/fuzz/fuzz.py --optima $(BIN)/optima --cases $(N) --seed $(FUZZ_SEED)

# The long acceptance runs, which make test skips (Tests/OptimaTests/Acceptance).
acceptance:
	OPTIMA_ACCEPTANCE=1 $(SWIFT) test $(RELEASE) -Xswiftc -enable-testing --filter AcceptanceTests

# Starts its own munged, slurmctld and slurmd (one node, 2 CPUs), runs a study as a job
# array, kills and requeues a task; about a minute. Fails where it cannot run (not root, no
# Slurm and no apt-get) unless OPTIMA_SKIP_SLURM=1, which skips it and says so.
test-slurm: build
	bash Tests/slurm/run.sh $(BIN)/optima

bench: build
	$(BIN)/optima-bench all

bench-quick: build
	$(BIN)/optima-bench all --quick

# Feature selection over kinds of data: every set written to results/select-suite/, the
# table printed and written to results/select-suite/suite.csv (docs/select.md, "Across
# kinds of data"). Without the peers' Python it runs optima alone and says so.
THREADS ?= 1
bench-select: build
	$(BIN)/optima-bench select --suite --threads $(THREADS) --csv results/select-suite/suite.csv

clean:
	rm -rf .build results

# The papers' studies into results/PAPER/: ITEM.jsonl (resumable), ITEM.csv, ITEM.svg and
# REPORT.md. One target per paper; `make study ID=nsa/fig2` runs one item.
# SCALE=quick runs the same code on small grids in seconds.
SCALE ?= paper
.PHONY: studies nsa cpna cpna-study counterexamples study xor-study real-data nsa-table2 nsa-fig7 cpna-table3
studies: build
	$(BIN)/optima study all --scale $(SCALE)
nsa: build
	$(BIN)/optima study nsa --scale $(SCALE)
cpna: build
	$(BIN)/optima study cpna --scale $(SCALE)
cpna-study: cpna
counterexamples: build
	$(BIN)/optima study counterexamples --scale $(SCALE)
study: build
	$(BIN)/optima study $(ID) --scale $(SCALE)
# The nsa paper's XOR study alone (every nsa item but the real-data table2 and fig7).
NSA_XOR_ITEMS = fig6 fig1 table1 fig3 fig-hidden fig2 fig4 fig5
xor-study: build
	for item in $(NSA_XOR_ITEMS); do $(BIN)/optima study nsa/$$item --scale $(SCALE) || exit 1; done
# Both papers' real-data protocol (§4.2): nsa Table 2 and Fig. 7, cpna Table 3. They share
# one results file (results/nsa/table2.jsonl), so the dense grid search runs once.
# ISOLET=DIR adds ISOLET (not vendored).
REAL_DATA_FLAGS = --scale $(SCALE) $(if $(ISOLET),--isolet-dir $(ISOLET))
nsa-table2: build
	$(BIN)/optima study nsa/table2 $(REAL_DATA_FLAGS)
nsa-fig7: build
	$(BIN)/optima study nsa/fig7 $(REAL_DATA_FLAGS)
cpna-table3: build
	$(BIN)/optima study cpna/table3 $(REAL_DATA_FLAGS)
real-data: nsa-table2 nsa-fig7 cpna-table3

# Feature selection on MADELON (vendored in Data/madelon): optima select with every
# default, trained on the training rows and tested on the validation rows; SEED=N for
# another seed. The report and the experiments behind the defaults: docs/select.md.
MADELON = Data/madelon
SEED ?= 1
madelon: build
	$(BIN)/optima select --data $(MADELON)/madelon_train.data.gz --labels $(MADELON)/madelon_train.labels \
	    --test-data $(MADELON)/madelon_valid.data.gz --test-labels $(MADELON)/madelon_valid.labels \
	    --seed $(SEED) --results results/select/madelon-seed$(SEED)
