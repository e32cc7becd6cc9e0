# Kyodo developer and CI entry points. Every recipe runs in one bash shell (.ONESHELL) with
# `set -euo pipefail`, and first sources scripts/tools.sh: it exports CARGO_TARGET_DIR
# (default $HOME/.cache/kyodo/target), puts the pinned wasm-opt first on PATH and installs any
# missing or mismatched build tool (cargo-leptos 0.3.10, wasm-bindgen-cli, wasm-opt 132).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := run

.PHONY: run check test e2e release dbserver cluster cluster-test crash-test

## run: debug build, then serve it with the demo data on http://127.0.0.1:3000 (data in $KYODO_DATA_DIR, default ./data)
run:
	source scripts/tools.sh
	cargo leptos build
	LEPTOS_SITE_ROOT="$$(kyodo_site_root)" \
	KYODO_DATA_DIR="$${KYODO_DATA_DIR:-./data}" \
	KYODO_DEMO=1 \
	exec "$$CARGO_TARGET_DIR/debug/kyodo"

## check: the fast edit loop: formatting, clippy (ssr with tests, hydrate/wasm), unit tests
check:
	source scripts/tools.sh
	cargo fmt --all --check
	cargo clippy -p app -p kyodo --features app/ssr --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo nextest run -p app --features ssr --lib

## test: formatting, clippy (ssr, hydrate/wasm, server), docs (warnings denied), unit and
## integration tests (app/tests/it, and the server binary's own; cargo-nextest, a process per test, a hung test
## ended after 4 min and retried once: .config/nextest.toml; the .ics invites are also parsed
## by Python's icalendar, mail received by aiosmtpd, both installed from PyPI here), debug build, browser tests
test:
	source scripts/tools.sh
	kyodo_ensure_e2e_tools
	kyodo_ensure_python_packages
	cargo fmt --all --check
	# app (ssr) and the server in one run: one feature resolution, one set of checked dependencies
	cargo clippy -p app -p kyodo --features app/ssr --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	# the same package and feature selection as clippy, so the dependencies' metadata is reused
	RUSTDOCFLAGS="-D warnings" cargo doc -p app -p kyodo --features app/ssr --no-deps
	# app (ssr) and the server binary's own tests (its benchmark yardstick), as clippy selects them
	cargo nextest run -p app -p kyodo --features app/ssr --profile ci
	cargo leptos build
	bash scripts/e2e.sh

## e2e: debug build and browser tests only (pass Playwright arguments with ARGS="--project no-js")
e2e:
	source scripts/tools.sh
	kyodo_ensure_e2e_tools
	cargo leptos build
	bash scripts/e2e.sh $(ARGS)

## release: optimised build (server in $CARGO_TARGET_DIR/release/kyodo, site in its own folder,
## `kyodo_release_site_root`, so that it never rewrites the files a running `make run` serves),
## its JS, CSS and wasm precompressed beside them (.br, .gz; scripts/precompress.sh)
release:
	source scripts/tools.sh
	kyodo_ensure_apt_tools
	# Nothing of an earlier build may outlive it: its hashed files, nor a .br/.gz that the
	# server would send for a new file of the same name.
	rm -rf "$$(kyodo_release_site_root)/pkg"
	LEPTOS_SITE_ROOT="$$(kyodo_release_site_root)" cargo leptos build --release
	bash scripts/precompress.sh "$$(kyodo_release_site_root)/pkg"

## dbserver: the SurrealDB server for several Kyodo servers ($CARGO_TARGET_DIR/release/kyodo-surrealdb;
## dbserver/, its own workspace and lock file, the surrealdb-server crate with SurrealKV only)
dbserver:
	source scripts/tools.sh
	cd dbserver && cargo build --release --locked

## cluster: SurrealDB server, two Kyodo servers (release build) and haproxy on loopback, left
## running at http://127.0.0.1:3530 (stop: bash scripts/cluster.sh stop)
cluster: dbserver release
	bash scripts/cluster.sh start

## cluster-test: the same, then the cross-server checks and their report; stops everything
cluster-test: dbserver release
	bash scripts/cluster.sh test

## crash-test: SIGKILL during a write load, 50 rounds on the embedded store and 50 on the
## SurrealDB server; every acknowledged write must be there once (scripts/crash.sh)
crash-test: dbserver release
	bash scripts/crash.sh
