import json
import os
import signal
import socket
import subprocess
import sys
import unittest

from .helpers import SECRET, make_project, remove_project

BRIDGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ShutdownTest(unittest.TestCase):
    def test_a_restart_with_an_idle_keep_alive_connection_prints_no_traceback(self):
        root = make_project({"steps/x_step.py": 'config = {"type": "event", "name": "X", "subscribes": ["a"], "emits": []}\n\nasync def handler(input, context):\n    pass\n'})
        env = {**os.environ, "PYTHONPATH": BRIDGE, "STEPFLARE_PYTHON_SECRET": SECRET}
        proc = subprocess.Popen([sys.executable, "-m", "stepflare_runner", "serve", root, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        try:
            port = json.loads(proc.stdout.readline())["port"]
            conn = socket.create_connection(("127.0.0.1", port))
            conn.sendall(b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n")
            self.assertIn(b"200 OK", conn.recv(65536))  # the connection stays open, idle
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=10)
            conn.close()
            self.assertNotIn("Traceback", err)
            self.assertNotIn("CancelledError", err)
        finally:
            if proc.poll() is None:
                proc.kill()
            remove_project(root)

    def test_the_runner_will_not_start_without_the_bridge_secret(self):
        root = make_project({})
        env = {k: v for k, v in os.environ.items() if k != "STEPFLARE_PYTHON_SECRET"}
        env["PYTHONPATH"] = BRIDGE
        try:
            r = subprocess.run([sys.executable, "-m", "stepflare_runner", "serve", root, "--port", "0"], capture_output=True, text=True, env=env, timeout=20)
            self.assertEqual(r.returncode, 2)
            self.assertIn("needs STEPFLARE_PYTHON_SECRET", r.stderr)
        finally:
            remove_project(root)


if __name__ == "__main__":
    unittest.main()
