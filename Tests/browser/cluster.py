"""`scripts/cluster`, the command people run, started as the browser tests' cluster."""
import re
import socket
import subprocess
import threading

from processes import terminate

READY_LINE = re.compile(r"^Huddle cluster: (http://\S+?)/? ")
NODE_LINE = re.compile(r"^\s+(node-\d+)\s+http://127\.0\.0\.1:(\d+)\s")
START_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """Runs `scripts/cluster --port P --nodes N`; `url` is nginx, `node_ids` maps node ports to node-1 … node-N."""

    def __init__(self, root, env, nodes=3):
        self.root = root
        self.env = env
        self.nodes = nodes
        self.process = None
        self.url = None
        self.node_ids = {}
        self.output = []

    def start(self):
        port = free_port()
        self.process = subprocess.Popen(
            [str(self.root / "scripts/cluster"), "--port", str(port), "--nodes", str(self.nodes)],
            cwd=self.root, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready = threading.Event()
        threading.Thread(target=self._pump, args=(ready,), daemon=True).start()
        ready.wait(START_TIMEOUT_S)
        if self.url is None or len(self.node_ids) < self.nodes:
            self.stop()
            raise RuntimeError("scripts/cluster did not come up:\n" + "".join(self.output[-40:]))
        return self

    def _pump(self, ready):
        # Keeps reading after the summary so the script never blocks on a full pipe.
        for line in self.process.stdout:
            self.output.append(line)
            if match := READY_LINE.match(line):
                self.url = match.group(1)
            elif match := NODE_LINE.match(line):
                self.node_ids[int(match.group(2))] = match.group(1)
            if line.startswith("Open "):
                ready.set()
        ready.set()

    def stop(self):
        """SIGTERM, as Ctrl-C would: the script stops nginx, the nodes, Redis and PostgreSQL."""
        if self.process is None:
            return
        terminate(self.process, STOP_TIMEOUT_S)
        self.process = None
