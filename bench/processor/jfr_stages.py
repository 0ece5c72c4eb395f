#!/usr/bin/env python3
"""Where each bench app's CPU samples go, by stage: reads flight recordings made with
BENCH_APP_JVM_OPTS="-XX:StartFlightRecording=filename=/tmp/{app}.jfr,settings=profile" bench/processor/run.sh ...
and prints, per recording, the Java samples of the stream thread by stage (first match in the
order below, anywhere in the sample's stack) and the samples of the producer's network thread
and of every other thread. All apps processed the same records, so sample counts compare
directly between recordings (settings=profile samples every 10 ms of a thread's Java time).

Usage: bench/processor/jfr_stages.py /tmp/passthrough.jfr /tmp/processor.jfr
"""
import collections
import re
import subprocess
import sys

STAGES = [
    ("decode raw JSON", ["RecordSerdes.lambda$raw", "RawRecordReader", "decodeRaw"]),
    ("encode enriched JSON", ["RecordJsonWriter", "RecordCodec.encode"]),
    ("level and labels", ["Enricher.enrich", "LevelDetector", "StreamLabeler"]),
    ("error-rate counting", ["PartialCounter", "LineMetrics", "PartialsStore"]),
    ("key serialisation", ["StringSerializer", "String.getBytes"]),
    ("producer send", ["KafkaProducer.doSend", "KafkaProducer.send"]),
    ("consumer poll", ["KafkaConsumer.poll", "ClassicKafkaConsumer.poll", "FetchCollector", "CompletedFetch", "Fetcher"]),
    ("commit", ["commit", "flush", "Commit"]),
    ("RocksDB", ["RocksDB", "rocksdb"]),
    ("other Kafka Streams", ["org.apache.kafka.streams"]),
]


def stages(recording):
    text = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample", recording],
                          capture_output=True, text=True, check=True).stdout
    by_stage = collections.Counter()
    by_thread = collections.Counter()
    for event in text.split("jdk.ExecutionSample {")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', event).group(1)
        if re.search(r"StreamThread-\d+$", thread):
            kind = "stream thread"
        elif "producer-network-thread" in thread:
            kind = "producer network thread"
        else:
            kind = "other threads"
        by_thread[kind] += 1
        if kind != "stream thread":
            continue
        frames = "\n".join(re.findall(r"^\s+([\w.$<>]+)\(", event, re.M))
        for stage, marks in STAGES:
            if any(mark in frames for mark in marks):
                by_stage[stage] += 1
                break
        else:
            by_stage["other"] += 1
    return by_stage, by_thread


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for recording in sys.argv[1:]:
        by_stage, by_thread = stages(recording)
        stream = by_thread["stream thread"]
        print(f"{recording}: {sum(by_thread.values())} samples; " + ", ".join(f"{k} {v}" for k, v in by_thread.most_common()))
        for stage, count in by_stage.most_common():
            print(f"  {stage:22s} {count:5d}  {100 * count / max(stream, 1):5.1f} % of the stream thread")


if __name__ == "__main__":
    main()
