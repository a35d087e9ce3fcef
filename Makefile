# Optima: build, run, test, benchmark and reproduce the papers' figures.
# Every target builds what it needs with an optimised build (debug builds are slow
# in numeric loops).

SWIFT   ?= swift
RELEASE  = -c release
BIN      = .build/release

.PHONY: all build run test bench bench-quick clean help

all: build

help:
	@echo "make run      train the reference workload (XOR k=3, p=15, n=3000, H=1024, 300 epochs)"
	@echo "make test     run the test suite (optimised build)"
	@echo "make bench    kernel GFLOP/s vs the measured FMA peak, ms/epoch vs the peers"
	@echo "make clean    remove build products"

build:
	$(SWIFT) build $(RELEASE)

run: build
	$(BIN)/optima train --data xor --k 3 --p 15 --n 3000 --hidden 1024 --epochs 300 --batch 64 --lr 1e-3 --wd 1e-4 --seed 1

test:
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing

bench: build
	$(BIN)/optima-bench all

bench-quick: build
	$(BIN)/optima-bench all --quick

clean:
	rm -rf .build results

# The XOR local-minima study of the nsa paper (Figures 1-6, Table 1) into results/:
# <figure>.jsonl (resumable), .csv, .svg and REPORT.md. SCALE=quick for a fast pass.
SCALE ?= paper
.PHONY: xor-study fig1 fig2 fig3 fig4 fig5 fig6 fig-hidden table1
xor-study: build
	$(BIN)/optima study all --scale $(SCALE)
fig1 fig2 fig3 fig4 fig5 fig6 fig-hidden table1: build
	$(BIN)/optima study $@ --scale $(SCALE)
