"""The Workers Python target's runner: the same protocol through `WorkersRunner.invoke`, callbacks
through an async poster, and no threads (Pyodide has none: starting one fails the test)."""

import asyncio
import json
import threading
import unittest
from unittest import mock

from stepflare_runner.callbacks import CLAIMS_HEADER, SIGNATURE_HEADER
from stepflare_runner.workers import WorkersRunner

from .helpers import SECRET, FakeWorker, issue_token, make_project, purge_project_modules, remove_project

STEPS = {
    "steps/score_step.py": """
        config = {"type": "event", "name": "Score", "subscribes": ["order.received"], "emits": ["order.scored"]}

        async def handler(input, context):
            await context.state.set(context.trace_id, "score", input["amount"] * 2)
            stored = await context.state.get(context.trace_id, "score")
            context.logger.info("scored", {"score": stored})
            await context.emit({"topic": "order.scored", "data": {"score": stored}})
        """,
    "steps/plain_step.py": """
        config = {"type": "event", "name": "Plain", "subscribes": ["a"], "emits": ["b"]}

        def handler(input, context):
            context.logger.info("plain")
            context.emit({"topic": "b", "data": input})
        """,
    "steps/plain_state_step.py": """
        config = {"type": "event", "name": "PlainState", "subscribes": ["a"], "emits": []}

        def handler(input, context):
            context.state.set("g", "k", 1)
        """,
}


def no_threads(*_args, **_kwargs):
    raise RuntimeError("can't start new thread (Pyodide)")


class WorkersRunnerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = make_project(STEPS)
        purge_project_modules()
        import sys

        sys.path.insert(0, cls.root)
        cls.runner = WorkersRunner(sorted(STEPS), poster=None)

    @classmethod
    def tearDownClass(cls):
        remove_project(cls.root)

    def setUp(self):
        self.worker = FakeWorker()

        async def poster(url, body, headers):
            self.urls.append(url)
            status, payload = self.worker.handle(body, headers[CLAIMS_HEADER], headers[SIGNATURE_HEADER])
            return status, json.dumps(payload).encode()

        self.urls = []
        self.runner.set_poster(poster)

    def tearDown(self):
        self.worker.close()

    def invoke(self, step, file, input=None, token=None, **extra):
        inv = f"inv-{step}-{len(self.urls)}-{id(extra)}"
        req = {
            "invocationId": inv, "step": step, "file": file, "kind": "event", "input": input, "traceId": "ABCDE-1", "flows": [],
            "callbackUrl": "https://app.example/__stepflare/python/callback",
            "token": token or issue_token(SECRET, inv, step, "ABCDE-1"), "timeoutMs": 5000, **extra,
        }
        with mock.patch.object(threading.Thread, "start", no_threads):
            return json.loads(asyncio.run(self.runner.invoke(json.dumps(req))))

    def test_async_handler_round_trips_state_through_the_poster(self):
        out = self.invoke("Score", "steps/score_step.py", {"amount": 21})
        self.assertTrue(out["ok"], out)
        self.assertEqual(out["emits"], [{"topic": "order.scored", "data": {"score": 42}}])
        self.assertEqual(self.worker.state["ABCDE-1"]["score"], 42)
        self.assertEqual(self.worker.ops, ["state.set", "state.get"])
        self.assertEqual(set(self.urls), {"https://app.example/__stepflare/python/callback"})
        self.assertEqual([r["msg"] for r in out["logs"]], ["scored"])

    def test_plain_handler_runs_on_the_loop_and_may_emit(self):
        out = self.invoke("Plain", "steps/plain_step.py", {"x": 1})
        self.assertTrue(out["ok"], out)
        self.assertEqual(out["emits"], [{"topic": "b", "data": {"x": 1}}])

    def test_plain_handler_state_call_fails_clearly(self):
        out = self.invoke("PlainState", "steps/plain_state_step.py", {})
        self.assertFalse(out["ok"])
        self.assertEqual(out["error"]["name"], "SyncCallbackError")
        self.assertIn("async def", out["error"]["message"])

    def test_refused_callback_fails_the_attempt(self):
        out = self.invoke("Score", "steps/score_step.py", {"amount": 1}, token=issue_token("another-secret-0123456789", "x", "Score", "ABCDE-1"))
        self.assertFalse(out["ok"])
        self.assertIn(out["error"]["name"], ("CallbackRefusedError", "CallbackError"))
        self.assertEqual(self.worker.refusals, ["BAD_SIGNATURE"])

    def test_malformed_request_answers_in_protocol_shape(self):
        out = json.loads(asyncio.run(self.runner.invoke("{not json")))
        self.assertFalse(out["ok"])
        self.assertEqual(out["error"]["name"], "ProtocolError")


if __name__ == "__main__":
    unittest.main()
