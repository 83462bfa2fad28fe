"""Validates what a recording agent saw and answered against docs/schemas (JSON Schema 2020-12).

    validate_messages.py SCHEMAS_FOLDER RECORDING_FOLDER

RECORDING_FOLDER holds messages.jsonl (every line Tapebench wrote to the agent) and answers.jsonl (every
line the agent answered). Prints one summary line; exits 1 on the first message that does not validate.
Also checks that the schemas refuse answers Tapebench refuses, so that they are not vacuous.
"""

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

from jsonschema import Draft202012Validator

schemas = {path.name.split(".")[0]: Draft202012Validator(json.loads(path.read_text())) for path in Path(sys.argv[1]).glob("*.schema.json")}
for validator in schemas.values():
    Draft202012Validator.check_schema(validator.schema)
recording = Path(sys.argv[2])


def fail(message):
    print(message)
    sys.exit(1)


def fraction_digits(value):
    """Every number Tapebench writes has at most 8 decimals and no exponent."""
    if isinstance(value, dict):
        for item in value.values():
            fraction_digits(item)
    elif isinstance(value, list):
        for item in value:
            fraction_digits(item)
    elif isinstance(value, Decimal):
        text = str(value)
        if "E" in text or "e" in text or ("." in text and len(text.split(".")[1]) > 8):
            fail(f"a number Tapebench wrote is not plain with at most 8 decimals: {text}")


seen = Counter()
for number, line in enumerate((recording / "messages.jsonl").read_text().splitlines(), 1):
    message = json.loads(line, parse_float=Decimal)
    fraction_digits(message)
    kind = message.get("type")
    errors = sorted(schemas[kind].iter_errors(json.loads(line)), key=str) if kind in schemas else ["unknown type"]
    if errors:
        fail(f"message {number} ({kind}) does not validate: {errors[0]}")
    seen[kind] += 1
    if kind == "bars":
        for key in ("positions", "fills", "open_orders"):
            if message[key]:
                seen["bars with " + key] += 1

answers = (recording / "answers.jsonl").read_text().splitlines()
for number, line in enumerate(answers, 1):
    answer = json.loads(line)
    schema = schemas["ready"] if answer.get("type") == "ready" else schemas["actions"]
    errors = list(schema.iter_errors(answer))
    if errors:
        fail(f"answer {number} does not validate: {errors[0].message}")
    seen["answer"] += 1

refused = [
    {"actions": [{"type": "order", "ticker": "AAPL", "side": "BUY", "order_type": "market", "quantity": 1}]},
    {"actions": [{"type": "order", "ticker": "AAPL", "side": "buy", "order_type": "limit", "quantity": 1}]},
    {"actions": [{"type": "order", "ticker": "AAPL", "side": "buy", "order_type": "market", "quantity": 1, "stop_price": 3}]},
    {"actions": [{"type": "order", "ticker": "AAPL", "side": "buy", "order_type": "market", "quantity": 1.5}]},
    {"actions": [{"type": "signal", "ticker": "AAPL", "side": "buy", "qty": 1}]},
    {"actions": [{"type": "cancel"}]},
    {"action": []},
]
for answer in refused:
    if schemas["actions"].is_valid(answer):
        fail(f"the actions schema accepts an answer Tapebench refuses: {json.dumps(answer)}")

print(" ".join(f"{key}={seen[key]}" for key in sorted(seen)))
