#!/usr/bin/env bash
# loki-sink benchmark: drains a backlog of N records (default 1 000 000) from logs.enriched into a
# Loki endpoint that answers 204 at once; prints lines/s, MB/s, drain time and CPU-s per million.
# Usage: bench/sink/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
records="${1:-1000000}"
out=bench/sink/target
mkdir -p "$out"
mvn -B -q -o install -DskipTests -pl common,embedded-kafka,testkit,loki-sink
mvn -B -q -o dependency:build-classpath -pl loki-sink -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$out/classpath.txt"
cp="loki-sink/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/sink/SinkBench.java
exec java -Xmx2g -cp "$out:$cp" SinkBench driver "$records"
