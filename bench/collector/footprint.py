#!/usr/bin/env python3
"""The collector's memory at the compute node's rate: 100 lines/s from the compute node's sources.

For each set of JVM options it starts `bin/logpipe collector` with the sources of
collector/examples/compute-node.yaml -- journald (a journal directory written during the run by
systemd-journal-remote and read by journalctl, as on the node), /var/log/syslog with its
timestamp rule and Ollama's files with their multiline rule -- against `bin/logpipe kafka`,
writes 40 journald entries, 30 syslog lines and 30 Ollama lines a second for SECONDS, and prints
what the collector's JVM holds at the end: VmRSS, VmHWM (peak), anonymous and file-backed RSS,
CPU seconds, and the RSS of its journalctl child, plus how many lines Kafka acknowledged.

Usage: bench/collector/footprint.sh [SECONDS]   (default 60)
  FOOTPRINT_OPTS="opts A|opts B|..."  JVM option sets to compare ('shipped' = bin/logpipe's own
                                      collector options, the default); each run is a fresh JVM
  FOOTPRINT_NMT=1                     adds -XX:NativeMemoryTracking=summary and prints the JVM's
                                      own account of its memory at the end
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from harness import LOGPIPE, Broker, acknowledged, cpu_seconds, free_port, memory

JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote"
BOOT_MICROS = 1_577_836_800_000_000


def children_rss(pid):
    total = 0.0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    total += memory(child).get("VmRSS", 0)
        except OSError:
            pass
    return total


def journal_entries(first, count, now_micros):
    """Export-format entries of the compute node's units (systemd-journal-remote's input)."""
    out = []
    for n in range(first, first + count):
        unit = "ollama.service" if n % 2 == 0 else "litellm.service"
        realtime = now_micros + n
        out.append(
            f"__REALTIME_TIMESTAMP={realtime}\n__MONOTONIC_TIMESTAMP={realtime - BOOT_MICROS}\n"
            f"_BOOT_ID=0123456789abcdef0123456789abcdef\n_SYSTEMD_UNIT={unit}\n"
            f"SYSLOG_IDENTIFIER={unit.split('.')[0]}\nPRIORITY=6\n_PID=4242\n_HOSTNAME=pesubuntu\n_TRANSPORT=stdout\n"
            f"MESSAGE=time=2026-11-25T14:03:07.123Z level=INFO source=server.go:512 msg=\"request done\" n={n} status=200\n\n")
    return "".join(out).encode()


def write_journal(path, data):
    subprocess.run([JOURNAL_REMOTE, f"--output={path}", "-"], input=data, check=True, capture_output=True)


def measure(opts, work, kafka_port, seconds):
    run_dir = tempfile.mkdtemp(dir=work)
    journal_dir = os.path.join(run_dir, "journal")
    ollama_dir = os.path.join(run_dir, "ollama")
    os.makedirs(journal_dir)
    os.makedirs(ollama_dir)
    syslog = os.path.join(run_dir, "syslog")
    ollama = os.path.join(ollama_dir, "server.log")
    open(syslog, "w").close()
    open(ollama, "w").close()
    journal = os.path.join(journal_dir, "system.journal")
    now_micros = int(time.time() * 1e6)
    write_journal(journal, journal_entries(0, 1, now_micros))
    metrics_port = free_port()
    config = os.path.join(run_dir, "collector.yaml")
    with open(config, "w") as f:
        f.write(f"""host: pesubuntu
kafka: {{bootstrap_servers: "127.0.0.1:{kafka_port}"}}
metrics: {{port: {metrics_port}, host: 127.0.0.1}}
checkpoint_dir: {run_dir}/state
sources:
  journald:
    - name: journald
      directory: {journal_dir}
      max_age: 12h
      labels: {{job: systemd-journal, host: pesubuntu}}
  files:
    - name: syslog
      paths: [{syslog}]
      labels: {{job: syslog, host: pesubuntu}}
      timestamp: {{regex: '^(\\w{{3}} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d)', format: 'MMM ppd HH:mm:ss'}}
    - name: ollama
      paths: ["{ollama_dir}/*.log"]
      labels: {{job: ollama, host: pesubuntu, service: ollama}}
      multiline: {{start_pattern: '^(time=|\\[GIN\\]|\\d{{4}}[-/]\\d{{2}}[-/]\\d{{2}})'}}
""")
    env = dict(os.environ, LOGPIPE_SKIP_BUILD="1")
    java_opts = opts
    if os.environ.get("FOOTPRINT_NMT") == "1":
        java_opts = (shipped_options() if opts == "shipped" else opts) + " -XX:NativeMemoryTracking=summary"
    if java_opts != "shipped":
        env["LOGPIPE_JAVA_OPTS"] = java_opts
    log = open(os.path.join(run_dir, "collector.log"), "w")
    collector = subprocess.Popen([LOGPIPE, "collector", "--config", config], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        written = 1
        deadline = time.monotonic() + 60
        while acknowledged(metrics_port) < 1:
            if collector.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the collector did not start (see {run_dir}/collector.log)")
            time.sleep(0.2)
        begin = time.monotonic()
        second = 0
        with open(syslog, "a") as s, open(ollama, "a") as o:
            while second < seconds:
                write_journal(journal, journal_entries(written, 40, now_micros))
                for i in range(30):
                    s.write(f"Nov 25 14:03:{i:02d} pesubuntu kernel: [{second}.{i}] amdgpu 0000:03:00.0: ring gfx timeout, signaled seq={i}\n")
                    o.write(f"time=2026-11-25T14:03:{i:02d}.123Z level=INFO source=server.go:123 msg=\"request done\" "
                            f"n={second * 30 + i} status=200 duration=12ms\n")
                s.flush()
                o.flush()
                written += 100
                second += 1
                time.sleep(max(0.0, begin + second - time.monotonic()))
        deadline = time.monotonic() + 30
        while acknowledged(metrics_port) < written and time.monotonic() < deadline:
            time.sleep(0.2)
        result = dict(memory(collector.pid), cpu=cpu_seconds(collector.pid), journalctl=children_rss(collector.pid),
                      written=written, acknowledged=acknowledged(metrics_port))
        if os.environ.get("FOOTPRINT_NMT") == "1":
            result["nmt"] = subprocess.run(["jcmd", str(collector.pid), "VM.native_memory", "summary"],
                                           capture_output=True, text=True).stdout
        return result
    finally:
        collector.terminate()
        try:
            collector.wait(30)
        except subprocess.TimeoutExpired:
            collector.kill()


def shipped_options():
    # bin/logpipe's collector options, as the launcher would use them
    with open(LOGPIPE) as f:
        text = f.read()
    start = text.index('collector)')
    quoted = text[text.index('DEFAULT_JAVA_OPTS="', start) + len('DEFAULT_JAVA_OPTS="'):]
    return " ".join(quoted[:quoted.index('"')].split())


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    option_sets = [o.strip() for o in os.environ.get("FOOTPRINT_OPTS", "shipped").split("|") if o.strip()]
    if not os.access(JOURNAL_REMOTE, os.X_OK):
        raise SystemExit(f"{JOURNAL_REMOTE} is missing: apt-get install systemd-journal-remote")
    work = tempfile.mkdtemp(prefix="logpipe-footprint-")
    try:
        with Broker(os.path.join(work, "kafka")) as broker:
            print(f"collector at 100 lines/s (40 journald, 30 syslog, 30 Ollama) for {seconds} s, compute-node sources, "
                  f"embedded broker in another JVM", flush=True)
            for opts in option_sets:
                r = measure(opts, work, broker.port, seconds)
                label = f"shipped ({shipped_options()})" if opts == "shipped" else opts
                print(f"- {label}\n    RSS {r['VmRSS']:.1f} MiB (peak {r['VmHWM']:.1f}; anonymous {r['RssAnon']:.1f}, "
                      f"file-backed {r['RssFile']:.1f}), {r['cpu']:.1f} CPU-s, journalctl child {r['journalctl']:.1f} MiB, "
                      f"{r['acknowledged']:.0f} of {r['written']} lines acknowledged", flush=True)
                if "nmt" in r:
                    print(r["nmt"])
    finally:
        if os.environ.get("KEEP_BENCH_DIR") != "1":
            shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
