"""Validates Kubernetes manifests (strict: unknown fields are errors) against one Kubernetes version.

usage: validate.py VERSION FILE...   prints one line per resource: "ok KIND/NAME" or "invalid FILE: MESSAGE";
exits 0 when every resource is valid, 1 otherwise.
"""
import sys

import kubernetes_validate
import yaml


def main() -> int:
    version, files = sys.argv[1], sys.argv[2:]
    bad = 0
    for path in files:
        with open(path) as handle:
            documents = [d for d in yaml.safe_load_all(handle) if d is not None]
        if not documents:
            print(f"invalid {path}: no resource")
            bad += 1
        for document in documents:
            try:
                kubernetes_validate.validate(document, version, strict=True)
                print(f"ok {document['kind']}/{document['metadata']['name']}")
            except kubernetes_validate.ValidationError as error:
                where = ".".join(str(part) for part in error.path) or "(top)"
                print(f"invalid {path}: {where}: {error.message}")
                bad += 1
            except kubernetes_validate.SchemaNotFoundError as error:
                print(f"invalid {path}: {error}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
