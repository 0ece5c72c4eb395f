#!/usr/bin/env bash
# End-to-end benchmark of `logpipe local`: latency at a fixed rate, backlog throughput, peak RSS.
# Usage: bench/e2e/run.sh [rate lines/s] [seconds] [backlog lines]   (defaults 10000 30 1000000)
# The pipeline runs through bin/logpipe, with the JVM options it ships (override with LOGPIPE_JAVA_OPTS).
set -euo pipefail
cd "$(dirname "$0")/../.."
rate="${1:-10000}" seconds="${2:-30}" backlog="${3:-1000000}"
out=bench/e2e/target
rm -rf "$out/work" && mkdir -p "$out/work"
mvn -B -q -o install -DskipTests
mvn -B -q -o dependency:build-classpath -pl loki-sink -Dmdep.outputFile="$PWD/$out/classpath.txt"
cp="loki-sink/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/e2e/E2eBench.java
mvn -B -q -o package -DskipTests -pl launcher
exec java -Xmx1g -cp "$out:$cp" E2eBench "$PWD/$out/work" "$PWD/bin/logpipe" "$rate" "$seconds" "$backlog"
