#!/usr/bin/env python3
"""Fails when a file under src/ includes a header of a layer it may not use.

The layers point one way: core -> io -> analysis -> report -> cli / viewer, and app (the
shell every program shares) sits on core. The compiler enforces the same through each
layer's include root (src/CMakeLists.txt); this check also catches what a compiler would
let through: relative paths ("../x.hpp"), and an include that happens to resolve through
another target's include path.

Usage: layer_check.py SRC_DIR   (exit 0: clean; 1: violations, listed; 2: usage)
"""
import pathlib
import re
import sys

# What each layer may include (besides itself). Generated headers: "embedded/<name>.hpp"
# (the target's own embedded files) and "core/version.hpp" (in core's generated folder).
ALLOWED = {
    "core": set(),
    "io": {"core"},
    "analysis": {"core", "io"},
    "report": {"core", "io", "analysis"},
    "app": {"core"},
    "cli": {"core", "io", "analysis", "report", "app"},
    "viewer": {"core", "io", "analysis", "report", "app"},
}
EMBEDDING = {"report", "viewer"}  # layers that embed files at build time
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def check(src: pathlib.Path) -> list:
    problems = []
    layers = sorted(p.name for p in src.iterdir() if p.is_dir())
    for layer in layers:
        if layer not in ALLOWED:
            problems.append(f"{layer}/: a folder that is no known layer (add it to tests/layer_check.py)")
            continue
        for path in sorted((src / layer).rglob("*")):
            if path.suffix not in {".hpp", ".cpp", ".h", ".in"}:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1)
                where = f"{path.relative_to(src)}:{number}: #include \"{target}\""
                parts = target.split("/")
                if ".." in parts or target.startswith("/"):
                    problems.append(f"{where}: a relative or absolute path hides the layer")
                elif len(parts) < 2:
                    problems.append(f"{where}: include a layer's header as \"<layer>/name.hpp\"")
                elif parts[0] == "embedded":
                    if layer not in EMBEDDING:
                        problems.append(f"{where}: {layer} embeds no files")
                elif parts[0] == layer:
                    if not (src / target).exists() and target != "core/version.hpp":
                        problems.append(f"{where}: no such file in src/{layer}")
                elif parts[0] not in ALLOWED:
                    problems.append(f"{where}: {parts[0]} is no layer")
                elif parts[0] not in ALLOWED[layer]:
                    direction = "up the stack or across"
                    problems.append(f"{where}: {layer} may not include {parts[0]} ({direction}; "
                                    f"{layer} may include {', '.join(sorted(ALLOWED[layer])) or 'nothing else'})")
    return problems


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    src = pathlib.Path(sys.argv[1])
    problems = check(src)
    for p in problems:
        print(p)
    if problems:
        print(f"layer_check: {len(problems)} include(s) break the layering")
        return 1
    print("layer_check: every include points down the stack")
    return 0


if __name__ == "__main__":
    sys.exit(main())
