import json
import os
import subprocess
import sys
import unittest

from stepflare_runner.discovery import classify, discover, importable, module_name
from stepflare_runner.loader import load_project

from .helpers import make_project, remove_project

BRIDGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HANDLER = "async def handler(input, context):\n    return None\n"


class DiscoveryTest(unittest.TestCase):
    def setUp(self):
        self.root = make_project(
            {
                "steps/billing/score_order_step.py": 'config = {"type": "event", "name": "Score", "subscribes": ["a"], "emits": []}\n' + HANDLER,
                "steps/todo_stream.py": 'config = {"name": "todo", "schema": {"type": "object"}, "baseConfig": {"storageType": "default"}}\n',
                "steps/old.step.py": "config = {}\n",
                "steps/helper.py": "X = 1\n",
                "steps/node_modules/pkg/x_step.py": "raise SystemExit('must not load')\n",
                "steps/.hidden/y_step.py": "raise SystemExit('must not load')\n",
                "steps/dist/z_step.py": "raise SystemExit('must not load')\n",
                "steps/__pycache__/w_step.py": "raise SystemExit('must not load')\n",
                "src/jobs/nightly_step.py": 'config = {"type": "cron", "name": "Nightly", "cron": "0 0 * * *", "emits": []}\nasync def handler(context):\n    pass\n',
                "other/elsewhere_step.py": "raise SystemExit('outside steps/ and src/')\n",
            }
        )

    def tearDown(self):
        remove_project(self.root)

    def test_finds_steps_and_streams_with_module_names(self):
        found = [(f.file, f.module, f.kind) for f in discover(self.root)]
        self.assertEqual(
            found,
            [
                ("src/jobs/nightly_step.py", "src.jobs.nightly_step", "step"),
                ("steps/billing/score_order_step.py", "steps.billing.score_order_step", "step"),
                ("steps/todo_stream.py", "steps.todo_stream", "stream"),
            ],
        )

    def test_naming_rules(self):
        self.assertEqual(classify("score_step.py"), "step")
        self.assertEqual(classify("todo_stream.py"), "stream")
        self.assertIsNone(classify("score.step.py"))
        self.assertIsNone(classify("score.step.ts"))
        self.assertEqual(module_name("steps/a/b_step.py"), "steps.a.b_step")
        self.assertTrue(importable("steps.a.b_step"))
        self.assertFalse(importable("steps.my-flow.b_step"))
        self.assertFalse(importable("steps.class.b_step"))

    def test_loads_configs_and_handlers(self):
        project = load_project(self.root)
        self.assertEqual(project.problems, [])
        self.assertEqual([s.name for s in project.steps], ["Nightly", "Score"])
        self.assertEqual([s.name for s in project.streams], ["todo"])
        self.assertTrue(callable(project.steps[0].handler))


class LoaderTest(unittest.TestCase):
    def tearDown(self):
        remove_project(self.root)

    def test_project_imports_and_relative_imports(self):
        self.root = make_project(
            {
                "src/services/pricing.py": "def price(x):\n    return x * 2\n",
                "steps/flow/helpers.py": "LABEL = 'relative'\n",
                "steps/flow/price_step.py": (
                    "from src.services.pricing import price\nfrom .helpers import LABEL\nfrom motia import FlowContext\n"
                    'config = {"type": "event", "name": "Price", "subscribes": ["p"], "emits": [], "description": LABEL + str(price(2))}\n' + HANDLER
                ),
                "steps/my-flow/dash_step.py": 'config = {"type": "event", "name": "Dash", "subscribes": ["d"], "emits": []}\n' + HANDLER,
            }
        )
        project = load_project(self.root)
        self.assertEqual(project.problems, [])
        by_name = {s.name: s for s in project.steps}
        self.assertEqual(by_name["Price"].config["description"], "relative4")
        self.assertEqual(by_name["Dash"].module, "steps.my-flow.dash_step")

    def test_pydantic_duck_types_and_middleware(self):
        self.root = make_project(
            {
                "steps/api_step.py": """
                class Body:
                    @classmethod
                    def model_json_schema(cls):
                        return {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}

                async def auth(req, context, next_fn):
                    return await next_fn()

                config = {"type": "api", "name": "Api", "path": "/x", "method": "POST", "emits": [],
                          "bodySchema": Body, "responseSchema": {200: Body.model_json_schema()}, "middleware": [auth]}

                async def handler(req, context):
                    return {"status": 200, "body": {}}
                """,
                "steps/model_config_step.py": """
                class Config:
                    def model_dump(self, **kw):
                        return {"type": "event", "name": "FromModel", "subscribes": ["m"], "emits": []}

                config = Config()

                def handler(input, context):
                    pass
                """,
            }
        )
        project = load_project(self.root)
        self.assertEqual(project.problems, [])
        api = next(s for s in project.steps if s.name == "Api")
        self.assertEqual(api.config["bodySchema"]["required"], ["id"])
        self.assertEqual(list(api.config["responseSchema"]), ["200"])
        self.assertNotIn("middleware", api.config)
        self.assertEqual(api.describe()["middleware"], ["auth"])
        self.assertIn("FromModel", [s.name for s in project.steps])

    def test_problems_name_the_file_and_field(self):
        self.root = make_project(
            {
                "steps/broken_step.py": "import json\n\ndef oops():\n    return 1 / 0\n\noops()\n",
                "steps/no_handler_step.py": 'config = {"type": "event", "name": "NoHandler", "subscribes": ["a"], "emits": []}\n',
                "steps/no_config_step.py": HANDLER,
                "steps/bad_value_step.py": 'config = {"type": "event", "name": "Bad", "subscribes": ["a"], "emits": [], "flows": [object()]}\n' + HANDLER,
            }
        )
        problems = {p.file: p for p in load_project(self.root).problems}
        broken = problems["steps/broken_step.py"]
        self.assertEqual(broken.field, "module")
        self.assertIn("ZeroDivisionError", broken.message)
        self.assertIn('broken_step.py", line 4, in oops', broken.traceback)
        self.assertNotIn("stepflare_runner", broken.traceback)
        self.assertEqual(problems["steps/no_handler_step.py"].field, "handler")
        self.assertEqual(problems["steps/no_config_step.py"].field, "config")
        self.assertEqual(problems["steps/bad_value_step.py"].field, "config.flows[0]")


class ConfigsCommandTest(unittest.TestCase):
    def test_prints_json_even_when_a_step_prints_at_import(self):
        root = make_project(
            {
                "steps/noisy_step.py": 'print("hello from import")\nconfig = {"type": "event", "name": "Noisy", "subscribes": ["a"], "emits": []}\n' + HANDLER,
                "steps/broken_step.py": "raise ValueError('nope')\n",
            }
        )
        try:
            env = {**os.environ, "PYTHONPATH": BRIDGE, "PYTHONDONTWRITEBYTECODE": "1"}
            out = subprocess.run([sys.executable, "-m", "stepflare_runner", "configs", root], capture_output=True, text=True, env=env, timeout=30)
            self.assertEqual(out.returncode, 0, out.stderr)
            doc = json.loads(out.stdout)
            self.assertEqual([s["config"]["name"] for s in doc["steps"]], ["Noisy"])
            self.assertEqual(doc["steps"][0]["file"], "steps/noisy_step.py")
            self.assertEqual(doc["errors"][0]["file"], "steps/broken_step.py")
            self.assertIn("ValueError: nope", doc["errors"][0]["traceback"])
            self.assertIn("hello from import", out.stderr)
        finally:
            remove_project(root)


if __name__ == "__main__":
    unittest.main()
