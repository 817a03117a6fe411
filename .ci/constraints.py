"""Write constraints.txt: the exact versions of everything crp-mentoring[test] installs here.

CI (the workflow and .ci/run, through PIP_CONSTRAINT) installs these versions, so a new release
of a dependency changes nothing until someone refreshes the file on purpose:
    python .ci/constraints.py > constraints.txt
"""
import re
from importlib.metadata import PackageNotFoundError, distribution


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(root: str, extras: set[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    todo = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        key = norm(dist.metadata["Name"])
        if key in seen and not wanted:
            continue
        seen[key] = dist.version
        for req in dist.requires or []:
            spec, _, marker = req.partition(";")
            if "extra" in marker and not any(f'extra == "{e}"' in marker for e in wanted):
                continue
            named = re.match(r"([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", spec.strip())
            dep, asked = named.group(1), {e.strip() for e in (named.group(2) or "").split(",") if e.strip()}
            if norm(dep) not in seen or asked:
                todo.append((dep, asked))
    return seen


if __name__ == "__main__":
    pins = closure("crp-mentoring", {"test"})
    pins.pop("crp-mentoring", None)
    print("# python .ci/constraints.py > constraints.txt (see that file's docstring)")
    for name, version in sorted(pins.items()):
        print(f"{name}=={version}")
