import threading
import time
import unittest

from .helpers import SECRET, RunnerCase, issue_token

STEPS = {
    "steps/emitter_step.py": """
        config = {"type": "event", "name": "Emitter", "subscribes": ["in"], "emits": ["out"]}

        async def handler(input, context):
            context.logger.info("emitting", {"n": input["n"]})
            await context.emit({"topic": "out", "data": {"n": input["n"] + 1}})
            await context.emit({"topic": "out", "data": {"n": input["n"] + 2}, "messageGroupId": "g"})
        """,
    "steps/raiser_step.py": """
        config = {"type": "event", "name": "Raiser", "subscribes": ["in"], "emits": ["out"]}

        def compute(x):
            raise ValueError(f"bad input {x}")

        async def handler(input, context):
            await context.emit({"topic": "out", "data": 1})
            compute(input)
        """,
    "steps/slow_async_step.py": """
        import asyncio
        config = {"type": "event", "name": "SlowAsync", "subscribes": ["in"], "emits": ["out"]}

        async def handler(input, context):
            await context.emit({"topic": "out", "data": 1})
            await asyncio.sleep(input["seconds"])
        """,
    "steps/slow_sync_step.py": """
        import time
        config = {"type": "event", "name": "SlowSync", "subscribes": ["in"], "emits": []}

        def handler(input, context):
            time.sleep(input["seconds"])
        """,
    "steps/cpu_step.py": """
        import time
        config = {"type": "event", "name": "Cpu", "subscribes": ["in"], "emits": []}

        def handler(input, context):
            end = time.monotonic() + input["seconds"]
            n = 0
            while time.monotonic() < end:
                n += 1
            return n
        """,
    "steps/quick_step.py": """
        import asyncio
        config = {"type": "event", "name": "Quick", "subscribes": ["in"], "emits": []}

        async def handler(input, context):
            await asyncio.sleep(0.01)
            return "quick"
        """,
    "steps/api_step.py": """
        async def tag(req, context, next_fn):
            req["tagged"] = True
            res = await next_fn()
            res["headers"] = {"x-mw": "1"}
            return res

        config = {"type": "api", "name": "Api", "path": "/orders/:id", "method": "POST", "emits": [], "middleware": [tag]}

        async def handler(req, context):
            return {"status": 201, "body": {"id": req["pathParams"]["id"], "got": req["body"], "tagged": req.get("tagged")}}
        """,
    "steps/broken_step.py": "import nonexistent_module_xyz\n",
}


class InvokeTest(RunnerCase):
    STEPS = STEPS

    def test_health(self):
        status, body = self.runner.request("GET", "/health")
        self.assertEqual(status, 200)
        self.assertTrue(body["ok"])
        self.assertIn("Emitter", body["steps"])
        self.assertEqual(body["problems"][0]["file"], "steps/broken_step.py")

    def test_emits_and_logs_are_buffered_and_returned(self):
        out = self.runner.invoke("Emitter", "steps/emitter_step.py", input={"n": 1})
        self.assertTrue(out["ok"], out)
        self.assertIsNone(out["result"])
        self.assertEqual(out["emits"], [{"topic": "out", "data": {"n": 2}}, {"topic": "out", "data": {"n": 3}, "messageGroupId": "g"}])
        self.assertEqual(out["logs"][0]["msg"], "emitting")
        self.assertEqual(out["logs"][0]["n"], 1)

    def test_a_raising_handler_returns_its_traceback_and_no_emits(self):
        out = self.runner.invoke("Raiser", "steps/raiser_step.py", input=42)
        self.assertFalse(out["ok"])
        self.assertNotIn("emits", out)
        err = out["error"]
        self.assertEqual(err["name"], "ValueError")
        self.assertEqual(err["message"], "bad input 42")
        self.assertIn('raiser_step.py", line 5, in compute', err["stack"])
        self.assertIn("ValueError: bad input 42", err["stack"])
        self.assertNotIn("stepflare_runner", err["stack"])

    def test_async_timeout(self):
        started = time.monotonic()
        out = self.runner.invoke("SlowAsync", "steps/slow_async_step.py", input={"seconds": 5}, timeout_ms=300)
        self.assertLess(time.monotonic() - started, 2)
        self.assertFalse(out["ok"])
        self.assertEqual(out["error"]["name"], "HandlerTimeoutError")
        self.assertEqual(out["error"]["code"], "HANDLER_TIMEOUT")
        self.assertEqual(out["error"]["message"], "handler exceeded its timeout of 0.3 s")
        self.assertNotIn("emits", out)

    def test_sync_timeout(self):
        started = time.monotonic()
        out = self.runner.invoke("SlowSync", "steps/slow_sync_step.py", input={"seconds": 3}, timeout_ms=300)
        self.assertLess(time.monotonic() - started, 2)
        self.assertEqual(out["error"]["name"], "HandlerTimeoutError")

    def test_a_cpu_bound_handler_does_not_stall_an_async_one(self):
        results = {}

        def call(name, step, file, input):
            started = time.monotonic()
            results[name] = (self.runner.invoke(step, file, input=input), time.monotonic() - started)

        cpu = threading.Thread(target=call, args=("cpu", "Cpu", "steps/cpu_step.py", {"seconds": 1.5}))
        cpu.start()
        time.sleep(0.2)  # the CPU-bound handler is now running
        call("quick", "Quick", "steps/quick_step.py", None)
        self.assertTrue(cpu.is_alive(), "the async invocation finished while the CPU-bound one was still running")
        cpu.join()
        self.assertEqual(results["quick"][0]["result"], "quick")
        self.assertLess(results["quick"][1], 0.8)
        self.assertTrue(results["cpu"][0]["ok"])
        self.assertGreater(results["cpu"][1], 1.4)

    def test_api_request_middleware_and_response(self):
        req = {"body": {"a": 1}, "pathParams": {"id": "o1"}, "queryParams": {}, "headers": {}, "rawBody": '{"a":1}'}
        out = self.runner.invoke("Api", "steps/api_step.py", kind="api", input=req)
        self.assertTrue(out["ok"], out)
        self.assertEqual(out["result"], {"status": 201, "body": {"id": "o1", "got": {"a": 1}, "tagged": True}, "headers": {"x-mw": "1"}})

    def test_unknown_and_broken_steps(self):
        out = self.runner.invoke("Nope", "steps/nope_step.py")
        self.assertEqual(out["error"]["name"], "StepNotFoundError")
        out = self.runner.invoke("Broken", "steps/broken_step.py")
        self.assertEqual(out["error"]["name"], "StepLoadError")
        self.assertIn("nonexistent_module_xyz", out["error"]["stack"])
        out = self.runner.invoke("Renamed", "steps/quick_step.py")
        self.assertIn("defines step 'Quick', not 'Renamed'", out["error"]["message"])

    def test_protocol_errors(self):
        status, body = self.runner.request("POST", "/invoke", {"step": "Quick"})
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["name"], "ProtocolError")
        self.assertIn("invocationId", body["error"]["message"])
        status, body = self.runner.request("GET", "/nowhere")
        self.assertEqual(status, 404)


    def invoke_request(self, inv: str, token: str | None = None, **over) -> dict:
        return {
            "invocationId": inv, "step": "Quick", "file": "steps/quick_step.py", "kind": "event", "input": None, "traceId": "ABCDE-1234567",
            "callbackUrl": "http://127.0.0.1:9/unused", "timeoutMs": 5000, "token": token or issue_token(SECRET, inv, "Quick", "ABCDE-1234567"), **over,
        }

    def test_invoke_is_refused_without_the_workers_signature(self):
        req = self.invoke_request("auth-unsigned")
        status, body = self.runner.request("POST", "/invoke", req, signature="")
        self.assertEqual((status, body["error"]["code"]), (401, "UNAUTHENTICATED"))
        status, body = self.runner.request("POST", "/invoke", req, signature="v1=" + "0" * 64)
        self.assertEqual((status, body["error"]["code"]), (401, "BAD_SIGNATURE"))
        self.assertEqual(body["error"]["name"], "InvokeRefusedError")

    def test_invoke_is_refused_with_a_forged_expired_mismatched_or_replayed_token(self):
        forged = issue_token("another-secret-0123456789", "auth-forged", "Quick", "ABCDE-1234567")
        status, body = self.runner.request("POST", "/invoke", self.invoke_request("auth-forged", forged))
        self.assertEqual((status, body["error"]["code"]), (401, "BAD_TOKEN"))
        expired = issue_token(SECRET, "auth-expired", "Quick", "ABCDE-1234567", timeout_ms=0, now_ms=int(time.time() * 1000) - 60_000)
        status, body = self.runner.request("POST", "/invoke", self.invoke_request("auth-expired", expired))
        self.assertEqual((status, body["error"]["code"]), (401, "TOKEN_EXPIRED"))
        other = issue_token(SECRET, "auth-other", "Quick", "ABCDE-1234567")
        status, body = self.runner.request("POST", "/invoke", self.invoke_request("auth-mismatch", other))
        self.assertEqual((status, body["error"]["code"]), (403, "TOKEN_MISMATCH"))
        req = self.invoke_request("auth-replay")
        status, body = self.runner.request("POST", "/invoke", req)
        self.assertEqual((status, body["ok"], body["result"]), (200, True, "quick"))
        status, body = self.runner.request("POST", "/invoke", req)
        self.assertEqual((status, body["error"]["code"]), (409, "REPLAYED"))


if __name__ == "__main__":
    unittest.main()
