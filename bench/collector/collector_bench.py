#!/usr/bin/env python3
"""logpipe collector benchmark: 200-byte CRI lines from a pod log file into Kafka.

Runs the shipped command (bin/logpipe collector, with the JVM options bin/logpipe gives it)
against the embedded broker (bin/logpipe kafka, a separate JVM), and reads the collector's
own /metrics and /proc/<pid> for the figures:

  throughput  lines/s and MB/s from the first acknowledged record to the last
  CPU         user+system CPU seconds of the collector process per million lines
              (from the first acknowledged record to the last, and including start-up)
  memory      peak RSS (VmHWM) of the collector process
  idle        RSS after a minute of 100 lines/s (the plan's compute-node budget)

Usage: bench/collector/run.sh [LINES]   (default 2 000 000)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

from harness import LOGPIPE, Broker, acknowledged, cpu_seconds, free_port, memory


def cri_lines(start, count, t0):
    """200-byte CRI lines (newline included), each with its own timestamp and sequence number."""
    out = []
    for n in range(start, start + count):
        ts = (t0 + timedelta(microseconds=n * 10)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"
        head = f"{ts} stdout F level=info n={n:09d} msg=\"handled request\" path=/api/v1/workflows/run status=200 "
        out.append(head + "x" * (199 - len(head)) + "\n")
    return "".join(out)


def start_collector(work, name, kafka_port, pods_dir):
    metrics_port = free_port()
    config = os.path.join(work, f"{name}.yaml")
    with open(config, "w") as f:
        f.write(f"""host: bench
kafka: {{bootstrap_servers: "127.0.0.1:{kafka_port}"}}
metrics: {{port: {metrics_port}, host: 127.0.0.1}}
checkpoint_dir: {work}/{name}-state
sources:
  pods:
    - paths: ["{pods_dir}/*/*/*.log"]
      kubernetes_metadata: false
      node_name: bench
""")
    env = dict(os.environ, LOGPIPE_SKIP_BUILD="1")
    log = open(os.path.join(work, f"{name}.log"), "w")
    process = subprocess.Popen([LOGPIPE, "collector", "--config", config], stdout=log, stderr=subprocess.STDOUT, env=env)
    return process, metrics_port


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    work = tempfile.mkdtemp(prefix="logpipe-collector-bench-")
    t0 = datetime(2026, 11, 25, 8, 0, 0, tzinfo=timezone.utc)
    try:
        pods = os.path.join(work, "pods")
        log_dir = os.path.join(pods, "bench_load-0_0b5e6a7c-bench", "app")
        os.makedirs(log_dir)
        with open(os.path.join(log_dir, "0.log"), "w") as f:
            for start in range(0, lines, 100_000):
                f.write(cri_lines(start, min(100_000, lines - start), t0))
        size_mb = os.path.getsize(os.path.join(log_dir, "0.log")) / 1e6

        with Broker(os.path.join(work, "kafka")) as broker:
            collector, metrics_port = start_collector(work, "throughput", broker.port, pods)
            started = time.monotonic()
            first_at = first_cpu = None
            while True:
                n = acknowledged(metrics_port)
                now = time.monotonic()
                if n > 0 and first_at is None:
                    first_at, first_cpu, first_n = now, cpu_seconds(collector.pid), n
                if n >= lines:
                    break
                if collector.poll() is not None:
                    raise SystemExit(f"the collector exited early (see {work}/throughput.log)")
                if now - started > 900:
                    raise SystemExit(f"timeout: {n} of {lines} lines acknowledged")
                time.sleep(0.25)
            done_at = time.monotonic()
            cpu = cpu_seconds(collector.pid)
            mem = memory(collector.pid)
            collector.terminate()
            collector.wait(30)

            elapsed = done_at - first_at
            counted = lines - first_n
            print(f"collector: {lines} CRI lines of 200 bytes ({size_mb:.0f} MB) -> Kafka (embedded broker, separate JVM)")
            print(f"  throughput      {counted / elapsed:,.0f} lines/s, {counted * 200 / elapsed / 1e6:.1f} MB/s "
                  f"({elapsed:.1f} s from the first to the last acknowledged line)")
            print(f"  CPU             {(cpu - first_cpu) / counted * 1e6:.2f} CPU-s per million lines while shipping; "
                  f"{cpu:.1f} CPU-s in all including JVM start-up ({cpu / lines * 1e6:.2f} per million)")
            print(f"  memory          peak RSS {mem['VmHWM']:.0f} MiB (RSS at the end {mem['VmRSS']:.0f} MiB)")

            # a trickle of 100 lines/s for a minute into one pod file (BENCH_TRICKLE_SECONDS=0 skips it;
            # footprint.sh measures the compute node's own sources)
            trickle_seconds = int(os.environ.get("BENCH_TRICKLE_SECONDS", "60"))
            if trickle_seconds <= 0:
                return
            trickle_pods = os.path.join(work, "trickle")
            trickle_dir = os.path.join(trickle_pods, "bench_trickle-0_1c6f7d8e-bench", "app")
            os.makedirs(trickle_dir)
            trickle_log = os.path.join(trickle_dir, "0.log")
            open(trickle_log, "w").close()
            collector, metrics_port = start_collector(work, "trickle", broker.port, trickle_pods)
            written = 0
            begin = time.monotonic()
            with open(trickle_log, "a") as f:
                while time.monotonic() - begin < trickle_seconds:
                    f.write(cri_lines(written, 10, t0))
                    f.flush()
                    written += 10
                    time.sleep(max(0.0, begin + written / 100 - time.monotonic()))
            deadline = time.monotonic() + 30
            while acknowledged(metrics_port) < written and time.monotonic() < deadline:
                time.sleep(0.1)
            mem = memory(collector.pid)
            cpu = cpu_seconds(collector.pid)
            shipped = acknowledged(metrics_port)
            collector.terminate()
            collector.wait(30)
            print(f"  100 lines/s     {shipped:.0f} of {written} lines shipped in {trickle_seconds} s; RSS {mem['VmRSS']:.0f} MiB, "
                  f"peak RSS {mem['VmHWM']:.0f} MiB, {cpu:.1f} CPU-s in all")
            print(f"  JVM options     as in bin/logpipe for the collector sub-command")
    finally:
        if os.environ.get("KEEP_BENCH_DIR") != "1":
            shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
