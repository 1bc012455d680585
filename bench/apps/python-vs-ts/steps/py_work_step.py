"""The same event step as ts_work.step.ts, in Python."""
import time

config = {"type": "event", "name": "PyWork", "subscribes": ["work.py"], "emits": []}


async def handler(input, context):
    await context.state.set(context.trace_id, "result", {"n": input["n"], "square": input["n"] * input["n"]})
    await context.state.set("bench-done", context.trace_id, {"lang": "py", "latency": int(time.time() * 1000) - input["sentAt"]})
    context.logger.info("worked", {"n": input["n"]})
