import asyncio
import unittest
from concurrent.futures import ThreadPoolExecutor

from stepflare_runner.context import Ready, motia_get_shape
from stepflare_runner.errors import InvocationEndedError
from stepflare_runner.invocation import Invocation

POOL = ThreadPoolExecutor(4)


def make_invocation(handler, kind="event", input=None, store=None, streams=None, timeout_ms=5000):
    req = {"invocationId": "inv-1", "step": "S", "kind": kind, "traceId": "T-1", "flows": ["f"], "input": input,
           "callbackUrl": "http://127.0.0.1:9/cb", "token": "claims.mac", "timeoutMs": timeout_ms}
    if streams is not None:
        req["streams"] = streams
    inv = Invocation(req, handler, cpu_pool=POOL, io_pool=POOL)
    store = {} if store is None else store
    sent = []

    def fake_call(op, args):
        sent.append((op, args))
        if op == "state.get":
            return store.get((args[0], args[1]))
        if op == "state.set":
            store[(args[0], args[1])] = args[2]
            return args[2]
        if op == "state.getGroup":
            return [v for (g, _), v in store.items() if g == args[0]]
        return None

    inv.client.call = fake_call
    return inv, sent


class StateQuirkTest(unittest.TestCase):
    def test_shape(self):
        self.assertEqual(motia_get_shape({"a": 1}), {"data": {"a": 1}})
        self.assertEqual(motia_get_shape(None), {"data": None})
        self.assertEqual(motia_get_shape({"data": 5, "x": 1}), {"data": 5, "x": 1})
        self.assertEqual(motia_get_shape(3), 3)
        self.assertEqual(motia_get_shape("s"), "s")
        self.assertEqual(motia_get_shape([1, 2]), [1, 2])

    def test_async_handler_sees_the_quirk(self):
        seen = {}

        async def handler(input, context):
            await context.state.set("g", "obj", {"n": 1})
            await context.state.set("g", "num", 7)
            seen["obj"] = await context.state.get("g", "obj")
            seen["num"] = await context.state.get("g", "num")
            seen["missing"] = await context.state.get("g", "nope")
            seen["group"] = await context.state.get_group("g")
            seen["same"] = context.state.getGroup == context.state.get_group

        inv, _ = make_invocation(handler, store={})
        out = asyncio.run(inv.run())
        self.assertTrue(out["ok"], out)
        self.assertEqual(seen["obj"], {"data": {"n": 1}})
        self.assertEqual(seen["num"], 7)
        self.assertEqual(seen["missing"], {"data": None})
        self.assertEqual(seen["group"], [{"n": 1}, 7])
        self.assertEqual([(o["op"], o.get("group"), o.get("key")) for o in out["stateOps"]][:3], [("set", "g", "obj"), ("set", "g", "num"), ("get", "g", "obj")])

    def test_sync_handler_gets_values_directly(self):
        seen = {}

        def handler(input, context):
            context.state.set("g", "k", {"v": 2})
            seen["v"] = context.state.get("g", "k")
            context.emit({"topic": "t", "data": 1})

        inv, _ = make_invocation(handler)
        out = asyncio.run(inv.run())
        self.assertTrue(out["ok"], out)
        self.assertEqual(seen["v"], {"data": {"v": 2}})
        self.assertEqual(out["emits"], [{"topic": "t", "data": 1}])

    def test_calls_not_awaited_still_run_before_the_result(self):
        async def handler(input, context):
            context.state.set("g", "k", 1)  # not awaited: Motia runs it in the background

        inv, sent = make_invocation(handler)
        out = asyncio.run(inv.run())
        self.assertTrue(out["ok"])
        self.assertEqual(sent, [("state.set", ["g", "k", 1])])

    def test_bad_arguments_raise_at_the_call(self):
        async def handler(input, context):
            await context.state.set("", "k", 1)

        inv, sent = make_invocation(handler)
        out = asyncio.run(inv.run())
        self.assertFalse(out["ok"])
        self.assertEqual(out["error"]["name"], "TypeError")
        self.assertIn("state.set: expected a non-empty string group id", out["error"]["message"])
        self.assertEqual(sent, [])

    def test_calls_after_the_end_are_refused(self):
        inv, _ = make_invocation(lambda i, c: None)
        asyncio.run(inv.run())
        with self.assertRaises(InvocationEndedError):
            inv.ctx.state.get("g", "k")


class ContextTest(unittest.TestCase):
    def test_context_fields_logs_and_emit_validation(self):
        seen = {}

        async def handler(input, context):
            seen["trace"] = context.trace_id
            seen["flows"] = context.flows
            context.logger.info("hello", {"n": 1})
            context.logger.warn("plain")
            context.logger.debug("odd meta", [1, 2])
            context.logger.child({"sub": "x"}).error("from child")
            context.logger.child(["not", "a", "dict"]).info("odd child")
            r = context.emit({"topic": "a", "data": {"x": 1}, "messageGroupId": "g1"})
            seen["ready"] = isinstance(r, Ready)
            await r
            try:
                await context.emit({"data": 1})
            except TypeError as err:
                seen["bad"] = str(err)

        inv, _ = make_invocation(handler)
        out = asyncio.run(inv.run())
        self.assertTrue(out["ok"], out)
        self.assertEqual(seen["trace"], "T-1")
        self.assertEqual(seen["flows"], ["f"])
        self.assertTrue(seen["ready"])
        self.assertIn("emit: expected", seen["bad"])
        self.assertEqual(out["emits"], [{"topic": "a", "data": {"x": 1}, "messageGroupId": "g1"}])
        logs = out["logs"]
        self.assertEqual([(r["level"], r["msg"]) for r in logs], [("info", "hello"), ("warn", "plain"), ("debug", "odd meta"), ("error", "from child"), ("info", "odd child")])
        self.assertEqual(logs[0]["n"], 1)
        self.assertEqual(logs[2]["data"], [1, 2])
        self.assertEqual(logs[3]["sub"], "x")
        self.assertIsInstance(logs[0]["time"], int)

    def test_streams_attribute_access(self):
        seen = {}

        async def handler(input, context):
            await context.streams.todo.set("g", "1", {"title": "a"})
            await context.streams["todo"].get_group("g")
            try:
                context.streams.nope
            except AttributeError as err:
                seen["err"] = str(err)

        inv, sent = make_invocation(handler, streams=["todo"])
        out = asyncio.run(inv.run())
        self.assertTrue(out["ok"], out)
        self.assertEqual(sent, [("streams.set", ["todo", "g", "1", {"title": "a"}]), ("streams.getGroup", ["todo", "g"])])
        self.assertIn("no stream 'nope'; the project's streams are: todo", seen["err"])

    def test_cron_handler_gets_the_context_first(self):
        async def handler(context):
            context.logger.info("tick")

        inv, _ = make_invocation(handler, kind="cron")
        out = asyncio.run(inv.run())
        self.assertTrue(out["ok"], out)
        self.assertEqual(out["logs"][0]["msg"], "tick")

    def test_result_must_be_json(self):
        async def handler(input, context):
            return {"status": 200, "body": {"when": object()}}

        inv, _ = make_invocation(handler, kind="api")
        out = asyncio.run(inv.run())
        self.assertFalse(out["ok"])
        self.assertEqual(out["error"]["name"], "NotJsonError")
        self.assertIn("result.body.when", out["error"]["message"])


if __name__ == "__main__":
    unittest.main()
