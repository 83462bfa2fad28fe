"""Validates one JSON document against one schema (JSON Schema 2020-12).

    validate_document.py SCHEMA DOCUMENT [BROKEN_KEY_PATH]

Prints `valid` or the first error and exits 1. With BROKEN_KEY_PATH (keys joined by '/', list items by
index), the key there is removed first and the document must then be refused: the schema is not vacuous.
"""

import json
import sys

from jsonschema import Draft202012Validator

schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
document = json.load(open(sys.argv[2]))
errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
if errors:
    print("invalid: " + "/".join(str(p) for p in errors[0].path) + ": " + errors[0].message)
    sys.exit(1)
if len(sys.argv) > 3:
    *parents, last = sys.argv[3].split("/")
    node = document
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    del node[last]
    if validator.is_valid(document):
        print("vacuous: the schema accepts the document without " + sys.argv[3])
        sys.exit(1)
print("valid")
