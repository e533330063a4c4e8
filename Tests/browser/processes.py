"""Stopping the processes the browser tests start."""
import signal
import subprocess


def terminate(process, timeout_s):
    """SIGTERM (a graceful stop), then SIGKILL if it is still running after `timeout_s`."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
