#!/usr/bin/env bash
# stream-processor benchmark: N raw records (default 1 000 000: fewer leave the JIT's work inside the measured window) through a pass-through Kafka Streams
# app and through the processor, alternating for ROUNDS rounds (default 2), on the embedded broker.
# Usage: bench/processor/run.sh [N] [ROUNDS]   (PROCESSOR_BENCH_THREADS=2 runs both apps with 2 stream threads;
# PROCESSOR_BENCH_COMMIT_MS sets both apps' commit interval; PROCESSOR_BENCH_CODEC=1 also runs an app that only decodes and re-encodes;
# PROCESSOR_JVM_OPTS adds JVM options to the processor, BENCH_APP_JVM_OPTS to every app with {app} for its kind, e.g.
# BENCH_APP_JVM_OPTS="-XX:StartFlightRecording=filename=/tmp/{app}.jfr,settings=profile", then bench/processor/jfr_stages.py /tmp/*.jfr)
set -euo pipefail
cd "$(dirname "$0")/../.."
records="${1:-1000000}"
rounds="${2:-2}"
. bench/processor/build.sh
exec java -Xmx1g ${BENCH_DRIVER_JVM_OPTS:-} -cp "$out:$cp" ProcessorBench driver "$records" "$rounds"
