import json
import time
import unittest
import urllib.error
import urllib.request

from stepflare_runner.callbacks import CallbackClient, derive_key, post, sign
from stepflare_runner.errors import CallbackError

from .helpers import SECRET, FakeWorker, RunnerCase, issue_token

STEPS = {
    "steps/score_step.py": """
        config = {"type": "event", "name": "Score", "subscribes": ["order.received"], "emits": ["order.scored"]}

        async def handler(input, context):
            await context.state.set(context.trace_id, "score", {"value": input["amount"] * 2})
            stored = await context.state.get(context.trace_id, "score")
            await context.state.set("counters", "plain", 5)
            plain = await context.state.get("counters", "plain")
            counter = await context.state.update("counters", "n", [{"type": "increment", "by": 3}])
            group = await context.state.get_group(context.trace_id)
            item = await context.streams.todo.set("g1", "i1", {"title": "t"})
            await context.streams.todo.send({"groupId": "g1"}, {"type": "ping", "data": {}})
            await context.emit({"topic": "order.scored", "data": {"stored": stored, "plain": plain, "counter": counter, "group": group, "item": item}})
        """,
}


class CallbackRoundTripTest(RunnerCase):
    STEPS = STEPS

    def setUp(self):
        self.worker = FakeWorker()

    def tearDown(self):
        self.worker.close()

    def test_state_and_streams_round_trip(self):
        out = self.runner.invoke("Score", "steps/score_step.py", input={"amount": 21}, worker=self.worker, traceId="ABCDE-1", streams=["todo"])
        self.assertTrue(out["ok"], out)
        data = out["emits"][0]["data"]
        self.assertEqual(data["stored"], {"data": {"value": 42}})  # Motia's quirk
        self.assertEqual(data["plain"], 5)
        self.assertEqual(data["counter"], {"old_value": None, "new_value": 3})
        self.assertEqual(data["group"], [{"value": 42}])
        self.assertEqual(data["item"], {"title": "t", "id": "i1"})
        self.assertEqual(self.worker.state["ABCDE-1"]["score"], {"value": 42})
        self.assertEqual(self.worker.refusals, [])
        self.assertEqual([o["op"] for o in out["stateOps"]], ["set", "get", "set", "get", "update", "getGroup"])

    def refused_invoke(self, inv: str, trace: str, token: str) -> tuple:
        req = {
            "invocationId": inv, "step": "Score", "file": "steps/score_step.py", "kind": "event", "input": {"amount": 1}, "traceId": trace,
            "flows": [], "callbackUrl": self.worker.url, "token": token, "timeoutMs": 5000,
        }
        status, body = self.runner.request("POST", "/invoke", req)
        return status, body["error"]["code"]

    def test_a_forged_token_is_refused_before_the_handler_runs(self):
        inv = "inv-forged"
        good = issue_token(SECRET, inv, "Score", "ABCDE-2")
        forged = good.split(".")[0] + "." + issue_token("another-secret-0123456789", inv, "Score", "ABCDE-2").split(".")[1]
        self.assertEqual(self.refused_invoke(inv, "ABCDE-2", forged), (401, "BAD_TOKEN"))
        self.assertEqual(self.worker.state, {})

    def test_a_token_for_another_step_or_trace_is_refused(self):
        token = issue_token(SECRET, "inv-x", "OtherStep", "ABCDE-3")
        self.assertEqual(self.refused_invoke("inv-x", "ABCDE-3", token), (403, "TOKEN_MISMATCH"))
        token = issue_token(SECRET, "inv-y", "Score", "ZZZZZ-9")
        self.assertEqual(self.refused_invoke("inv-y", "ABCDE-3", token), (403, "TOKEN_MISMATCH"))

    def test_the_worker_refuses_a_callback_signed_under_a_forged_token(self):
        good = issue_token(SECRET, "inv-f2", "Score", "ABCDE-2")
        forged = good.split(".")[0] + "." + issue_token("another-secret-0123456789", "inv-f2", "Score", "ABCDE-2").split(".")[1]
        client = CallbackClient(self.worker.url, forged, "inv-f2", "Score", "ABCDE-2")
        with self.assertRaises(CallbackError) as caught:
            client.call("state.set", ["g", "k", 1])
        self.assertEqual((caught.exception.status, caught.exception.code), (401, "BAD_SIGNATURE"))
        self.assertEqual(self.worker.state, {})

    def test_an_expired_token_is_refused(self):
        token = issue_token(SECRET, "inv-old", "Score", "ABCDE-4", timeout_ms=1000, now_ms=int(time.time() * 1000) - 120_000)
        client = CallbackClient(self.worker.url, token, "inv-old", "Score", "ABCDE-4")
        with self.assertRaises(CallbackError) as caught:
            client.call("state.get", ["g", "k"])
        self.assertEqual((caught.exception.status, caught.exception.code), (401, "TOKEN_EXPIRED"))

    def test_a_replayed_callback_is_refused(self):
        token = issue_token(SECRET, "inv-r", "Score", "ABCDE-5")
        client = CallbackClient(self.worker.url, token, "inv-r", "Score", "ABCDE-5")
        body, headers = client.build("state.set", ["g", "k", 1])
        self.assertEqual(post(self.worker.url, body, headers, 5, "state.set"), 1)
        with self.assertRaises(CallbackError) as caught:
            post(self.worker.url, body, headers, 5, "state.set")
        self.assertEqual((caught.exception.status, caught.exception.code), (409, "REPLAYED"))
        # a tampered body under the old signature is a forgery, not a replay
        tampered = body.replace(b'"seq":1', b'"seq":99')
        with self.assertRaises(CallbackError) as caught:
            post(self.worker.url, tampered, headers, 5, "state.set")
        self.assertEqual(caught.exception.code, "BAD_SIGNATURE")

    def test_signature_scheme(self):
        token = issue_token(SECRET, "inv-s", "Score", "T")
        body = json.dumps({"a": 1}).encode()
        sig = sign(derive_key(token), body)
        self.assertTrue(sig.startswith("v1=") and len(sig) == 67)
        req = urllib.request.Request(self.worker.url, data=body, method="POST", headers={"x-stepflare-claims": token.split(".")[0], "x-stepflare-signature": sig})
        with self.assertRaises(urllib.error.HTTPError) as caught:  # signed correctly, but not a callback body
            urllib.request.urlopen(req, timeout=5)
        self.assertEqual(caught.exception.code, 400)


if __name__ == "__main__":
    unittest.main()
