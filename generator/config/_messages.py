"""Turn pydantic errors into sentences a program coordinator can act on."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def describe(exc: ValidationError) -> list[str]:
    """One line per problem: where it is, what was found, what is wrong."""
    lines = []
    for err in exc.errors():
        loc = _location(err["loc"])
        value = err.get("input")
        shown = "" if isinstance(value, (dict, list)) or value is None \
            else f" (found {value.isoformat() if isinstance(value, dt.date) else repr(value)})"
        lines.append(f"{loc}{shown}: {_said(err)}")
    return lines


#: pydantic's words for a value of the wrong shape name our classes and Python's types ("a valid
#: dictionary or instance of Box", "a valid tuple"): a coordinator editing YAML needs its words.
_SHAPES = {
    **dict.fromkeys(("model_type", "dict_type", "model_attributes_type"),
                    "should be a group of settings: `key: value` lines, indented under it"),
    **dict.fromkeys(("tuple_type", "list_type", "set_type", "frozen_set_type"),
                    "should be a list: one item per line, each starting with `- `"),
    **dict.fromkeys(("bool_type", "bool_parsing"), "should be true or false"),
    "string_type": "should be text (put it in quotes if YAML would read it as a number, a date or true/false)",
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "should be a whole number"),
    **dict.fromkeys(("float_type", "float_parsing"), "should be a number"),
}


#: What each pattern a setting must match asks for, in words (pydantic quotes the regular expression).
_PATTERNS: dict[str, str] = {}


def worded(pattern: str, words: str) -> str:
    """`pattern`, with what it asks for in a coordinator's words ("should be ...") for its errors."""
    _PATTERNS[pattern] = words
    return pattern


def _said(err: ErrorDetails) -> str:
    """What is wrong with one value, in a coordinator's words."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known setting (check the spelling)"
    if kind in _SHAPES:
        return _SHAPES[kind]
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return _PATTERNS[ctx["pattern"]]
    key = str(ctx.get("discriminator", "")).strip("'")
    if kind == "union_tag_invalid":  # `rule: 9:00` in an eligibility entry
        return f"`{key}: {ctx['tag']}` should be one of {ctx['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"needs a `{key}:` line saying which kind of entry it is"
    return str(err["msg"]).removeprefix("Value error, ").removeprefix("Input ")  # "Input should be 'circles' or ..."


def _location(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item + 1}]")
        elif parts:
            parts.append(f".{item}")
        else:
            parts.append(str(item))
    return "'" + "".join(parts) + "'" if parts else "the file"


#: libyaml's parser when PyYAML has it (ten times faster: a build reads program.yml and ten forms).
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_SEXAGESIMAL = re.compile(r"^[0-9]+(?::[0-9]+)+$")


def _lenient_dates(loader: type) -> type:
    """`loader`, but a value shaped like a date that is not one (2022-13-10) stays the text typed,
    which validation then reports under its key (PyYAML itself raised a bare ValueError), and a
    time of day typed without quotes (9:30) stays the text typed too."""

    class Lenient(loader):  # type: ignore[valid-type,misc]
        def construct_yaml_timestamp(self, node: yaml.Node) -> object:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:
                return self.construct_scalar(node)

    Lenient.add_constructor("tag:yaml.org,2002:timestamp", Lenient.construct_yaml_timestamp)
    # YAML 1.1 reads an unquoted 9:30 as the number 570 (base 60): it is the time typed, as text.
    Lenient.add_implicit_resolver("tag:yaml.org,2002:str", _SEXAGESIMAL, list("0123456789"))
    for digit in "0123456789":  # ahead of the int resolver, which would match first
        resolvers = Lenient.yaml_implicit_resolvers[digit]
        resolvers.insert(0, resolvers.pop())
    return Lenient


_FAST, _SLOW = _lenient_dates(FAST_LOADER), _lenient_dates(yaml.SafeLoader)


def load_yaml_model(path: Path, model: type[M], expected: str) -> M:
    """Parse a YAML file into a model, or raise ConfigError naming the file and every problem."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_FAST)
    except yaml.YAMLError:
        try:  # the pure-Python parser's message quotes the line and points at the problem
            data = yaml.load(text, Loader=_SLOW)
        except yaml.YAMLError as exc:
            raise ConfigError(str(path), [f"is not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), [f"must be a mapping of settings ({expected})"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(str(path), describe(exc)) from None
