#!/usr/bin/env bash
# collector benchmark: LINES (default 2 000 000) 200-byte CRI lines from a pod log file into the
# embedded Kafka broker with the shipped `bin/logpipe collector`; prints lines/s, MB/s,
# CPU-s per million lines and peak RSS, then the RSS at 100 lines/s. Figures: BENCHMARKS.md.
# Usage: bench/collector/run.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin/logpipe --version >/dev/null   # builds launcher/target/logpipe.jar when the sources changed
exec python3 bench/collector/collector_bench.py "$@"
