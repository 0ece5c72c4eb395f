#!/usr/bin/env bash
# The collector's RSS at the compute node's rate (100 lines/s from journald, syslog and Ollama's
# files) for one or more sets of JVM options. Figures: BENCHMARKS.md.
# Usage: bench/collector/footprint.sh [SECONDS]   (FOOTPRINT_OPTS="opts|opts", FOOTPRINT_NMT=1: see footprint.py)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin/logpipe --version >/dev/null   # builds launcher/target/logpipe.jar when the sources changed
exec python3 bench/collector/footprint.py "$@"
