"""What both collector benchmarks stand on: `bin/logpipe kafka` in a JVM of its own, and the
collector process's CPU, memory and acknowledged lines read from /proc and its /metrics."""
import os
import socket
import subprocess
import threading
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOGPIPE = os.path.join(ROOT, "bin", "logpipe")
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU seconds of the process, all its threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory(pid):
    """VmRSS, VmHWM (peak), RssAnon and RssFile of the process, in MiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name = line.split(":")[0]
            if name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[name] = int(line.split()[1]) / 1024
    return values


def acknowledged(metrics_port):
    """Records Kafka acknowledged, from the collector's own /metrics (0 while it is not up)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=2) as r:
            for line in r.read().decode().splitlines():
                if line.startswith("logpipe_collector_records_sent_total"):
                    return float(line.split()[-1])
    except OSError:
        pass
    return 0.0


class Broker:
    """`bin/logpipe kafka` on a free port with its data under `data_dir`, stopped on exit."""

    def __init__(self, data_dir):
        self.port = free_port()
        env = dict(os.environ, LOGPIPE_SKIP_BUILD="1", LOGPIPE_JAVA_OPTS="-Xmx1g")
        self.process = subprocess.Popen([LOGPIPE, "kafka", "--data-dir", data_dir, "--port", str(self.port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
        output = []
        for line in self.process.stdout:
            output.append(line)
            if "broker ready" in line:
                # keep reading, or a full pipe would stop the broker at its next log line
                threading.Thread(target=self.process.stdout.read, daemon=True).start()
                return
        raise SystemExit("the embedded broker did not start:\n" + "".join(output[-20:]))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
