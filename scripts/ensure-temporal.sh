#!/usr/bin/env bash
# Finds (or builds) the Temporal CLI and prints its absolute path as the last line on stdout.
# Progress goes to stderr. Order: $TEMPORAL_CLI, `temporal` on PATH, .tools/bin/temporal,
# the build cache (~/.cache/ringmaster), then `go install` from the Go module proxy.
set -euo pipefail

TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/ringmaster/temporal-cli/${TEMPORAL_CLI_VERSION}"
LOCAL_BIN="$ROOT/.tools/bin"

say() { echo "[ensure-temporal] $*" >&2; }
works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }
found() { say "using $1 ($("$1" --version 2>/dev/null | head -1))"; echo "$1"; exit 0; }

if [ -n "${TEMPORAL_CLI:-}" ]; then
  if works "$TEMPORAL_CLI"; then found "$TEMPORAL_CLI"; fi
  say "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable Temporal CLI"; exit 1
fi
if command -v temporal >/dev/null 2>&1 && works "$(command -v temporal)"; then found "$(command -v temporal)"; fi
if works "$LOCAL_BIN/temporal"; then found "$LOCAL_BIN/temporal"; fi

link_local() {
  mkdir -p "$LOCAL_BIN"
  ln -sf "$CACHE_DIR/temporal" "$LOCAL_BIN/temporal"
}
if works "$CACHE_DIR/temporal"; then link_local; found "$LOCAL_BIN/temporal"; fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<'MSG'
[ensure-temporal] No Temporal CLI found and no Go toolchain to build one.
Get the CLI one of these ways, then run again:
  - macOS/Linux with Homebrew:  brew install temporal
  - release archive:            https://github.com/temporalio/cli/releases (put `temporal` on PATH)
  - point at a binary:          export TEMPORAL_CLI=/path/to/temporal
  - Docker:                     docker run --rm -p 7233:7233 -p 8233:8233 temporalio/temporal server start-dev --ip 0.0.0.0
    (then set TEMPORAL_ADDRESS=localhost:7233)
  - Go 1.23+:                   install Go and re-run; this script builds the CLI with `go install`
MSG
  exit 1
fi

say "building Temporal CLI $TEMPORAL_CLI_VERSION with $(go version) (a cold build takes ~5 minutes)"
mkdir -p "$CACHE_DIR"
start=$(date +%s)
# `go install -x` would be noisy; print a heartbeat so a long build is visibly alive.
( while sleep 30; do say "still building... $(( $(date +%s) - start ))s"; done ) &
beat=$!
trap 'kill $beat 2>/dev/null || true' EXIT
if ! GOBIN="$CACHE_DIR" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}" >&2; then
  say "go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION} failed; see the output above."
  say "Set TEMPORAL_CLI to an existing binary, or TEMPORAL_CLI_VERSION to another tag without a replace directive."
  exit 1
fi
kill $beat 2>/dev/null || true
say "built in $(( $(date +%s) - start ))s -> $CACHE_DIR/temporal"
link_local
found "$LOCAL_BIN/temporal"
