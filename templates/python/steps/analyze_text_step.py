"""Python event step: counts the words of a submitted text and hands the result on to the
TypeScript step RecordAnalysis. Written as in Motia: a `config` dict and `async def handler`."""

config = {
    "type": "event",
    "name": "AnalyzeText",
    "description": "Counts words (Python)",
    "subscribes": ["text.submitted"],
    "emits": ["text.analyzed"],
    "input": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
        "required": ["id", "text"],
    },
    "flows": ["texts"],
}


async def handler(input, context):
    words = len(input["text"].split())
    context.logger.info("text analyzed", {"id": input["id"], "words": words})
    await context.emit({"topic": "text.analyzed", "data": {"id": input["id"], "words": words}})
