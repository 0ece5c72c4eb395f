#!/usr/bin/env bash
# The stream-processor's own per-line work without Kafka (decode, level and labels, encode value and key), in CPU-µs a
# record on one thread: bench/processor/io/logpipe/processor/PerLineBench.java over the same record mix as run.sh.
# Usage: bench/processor/per_line.sh [N] [ROUNDS]   (defaults 1 000 000 and 8; the last rounds are the settled figures)
set -euo pipefail
cd "$(dirname "$0")/../.."
records="${1:-1000000}"
rounds="${2:-8}"
. bench/processor/build.sh
# the JVM options bin/logpipe ships for the processor, with the heap the two-app bench gives it
exec java -XX:+UseSerialGC -Xss512k -Xmx1g -cp "$out:$cp" io.logpipe.processor.PerLineBench "$records" "$rounds"
