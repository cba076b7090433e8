"""A JSON Schema compiled to one Python function that says whether a record is valid.

Reading a knowledge base validates every record, and nearly all of them are valid: what is
wanted of the common case is only "valid", as fast as can be. This compiler writes the checks of
a schema out as straight Python (a test of each value's type and form, in the order of the
schema, and ``return False`` at the first failure), once per record kind. Where a record fails,
the full validator (jsonschema) runs and reports every error with its place.

It takes the keywords kb's schemas use, with their draft 2020-12 meaning, for values as read from
YAML (dicts with text keys, lists, text, numbers, true/false, null). It must never accept what
the full validator rejects; where a case is unusual (a number where text or a date is expected,
a float that is a whole number, a list of mixed items said to be unique) it answers "not valid",
and the full validator decides. A keyword it does not know makes ``compile_schema`` raise
Unsupported, so that a schema it cannot honour is never half-checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import CodeType

# Keywords that say nothing about validity.
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_TYPES = {
    "string": "isinstance({v}, str)",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "boolean": "{v}.__class__ is bool",
    "null": "{v} is None",
    # Stricter than the standard (1.0 is an integer there, and any number type counts): the
    # full validator decides those.
    "integer": "{v}.__class__ is int",
    "number": "{v}.__class__ in (int, float)",
}
_MISSING = object()


class Unsupported(Exception):
    """The schema uses a keyword (or a form of one) this compiler does not take."""


def compile_schema(document: dict, formats: dict[str, Callable[[str], bool]]) -> Callable[[object], bool]:
    """The predicate "``value`` is valid against ``document``". ``formats`` checks each format
    the schema names (only text is checked by a format here)."""
    return predicate(schema_code(document, formats), formats)


def schema_code(document: dict, formats: Mapping[str, object]) -> CodeType:
    """The compiled checks of ``document``, as a code object that ``predicate`` makes the
    predicate of: it holds everything the checks need but the format functions (named by
    ``formats``' keys), so that it can be stored (marshal) and used by another process."""
    compiler = _Compiler(document, formats)
    name = compiler.function(document)
    source = "\n".join([*compiler.definitions, *compiler.lines, f"{ENTRY} = {name}"]) + "\n"
    return compile(source, f"<schema {document.get('$id', '')}>", "exec")


def predicate(code: CodeType, formats: Mapping[str, Callable[[str], bool]]) -> Callable[[object], bool]:
    """The predicate a code object of ``schema_code`` defines, with these format functions."""
    namespace: dict = {"_MISSING": _MISSING, "_unique": _unique, "_re": re, "_formats": formats}
    exec(code, namespace)  # our own code, written from our own schemas (or read back sealed)
    return namespace[ENTRY]


# The name a code object of ``schema_code`` gives its predicate.
ENTRY = "_valid"


def _unique(items: list) -> bool:
    """Whether the items are pairwise different, when they are all text; False (ask the full
    validator) for anything else, whose equality differs between JSON and Python (1 and true)."""
    for item in items:
        if item.__class__ is not str:
            return False
    return len(set(items)) == len(items)


class _Compiler:
    def __init__(self, document: dict, formats: Mapping):
        self.document = document
        self.formats = formats
        self.lines: list[str] = []
        # Each constant the checks use, as a line of source defining it.
        self.definitions: list[str] = []
        self.functions: dict[int, str] = {}
        self.variables = 0

    def constant(self, source: str) -> str:
        """The name of a constant the source ``source`` makes, defined once before the checks."""
        name = f"_c{len(self.definitions)}"
        self.definitions.append(f"{name} = {source}")
        return name

    def text_set(self, values) -> str:
        """The name of a frozen set of the text ``values``."""
        return self.constant(f"frozenset({tuple(sorted(values))!r})")

    def function(self, schema) -> str:
        """The name of the function checking ``schema``, written out the first time."""
        if id(schema) in self.functions:
            return self.functions[id(schema)]
        name = f"_v{len(self.functions)}"
        self.functions[id(schema)] = name
        body: list[str] = []
        self.emit(schema, "x", body, 1)
        self.lines += [f"def {name}(x):", *body, "    return True", ""]
        return name

    def resolve(self, ref: str):
        base = self.document.get("$id", "")
        if base and ref.startswith(base + "#"):
            ref = ref[len(base) :]
        if not ref.startswith("#/"):
            raise Unsupported(f"$ref {ref!r}")
        target = self.document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise Unsupported(f"$ref {ref!r} does not resolve")
            target = target[part]
        return target

    def emit(self, schema, v: str, out: list[str], depth: int) -> None:
        """Lines (at ``depth``) that return False when the value in ``v`` fails ``schema``."""
        pad = "    " * depth

        def fail_if(condition: str) -> None:
            out.append(f"{pad}if {condition}: return False")

        if schema is True:
            return
        if schema is False:
            out.append(f"{pad}return False")
            return
        if not isinstance(schema, dict):
            raise Unsupported(f"a schema that is {type(schema).__name__}")
        unknown = set(schema) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            if _simple(target):
                self.emit(target, v, out, depth)
            else:
                fail_if(f"not {self.function(target)}({v})")
        self.emit_value(schema, v, fail_if)
        self.emit_text(schema, v, fail_if)
        if "minimum" in schema or "maximum" in schema:
            bounds = [f"{v} >= {schema['minimum']!r}"] if "minimum" in schema else []
            bounds += [f"{v} <= {schema['maximum']!r}"] if "maximum" in schema else []
            fail_if(f"{v}.__class__ in (int, float) and not ({' and '.join(bounds)})")
        self.emit_object(schema, v, out, depth)
        self.emit_array(schema, v, out, depth)
        self.emit_logic(schema, v, out, pad, fail_if)

    def emit_value(self, schema, v: str, fail_if) -> None:
        """The checks of ``type``, ``enum`` and ``const``."""
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if any(t not in _TYPES for t in types):
                raise Unsupported(f"type {schema['type']!r}")
            fail_if("not (" + " or ".join(_TYPES[t].format(v=v) for t in types) + ")")
        for keyword in ("enum", "const"):
            if keyword in schema:
                allowed = schema[keyword] if keyword == "enum" else [schema[keyword]]
                if not all(isinstance(value, str) for value in allowed):
                    raise Unsupported(f"{keyword} of other values than text")
                fail_if(f"not ({v}.__class__ is str and {v} in {self.text_set(allowed)})")

    def emit_logic(self, schema, v: str, out: list[str], pad: str, fail_if) -> None:
        """The checks of ``anyOf``, ``allOf`` and ``if``/``then``/``else``."""
        for keyword, joiner in (("anyOf", " or "), ("allOf", " and ")):
            if keyword in schema:
                calls = [f"{self.function(sub)}({v})" for sub in schema[keyword]]
                fail_if(f"not ({joiner.join(calls)})")
        if "if" in schema:
            out.append(f"{pad}if {self.function(schema['if'])}({v}):")
            if "then" in schema:
                out.append(f"{pad}    if not {self.function(schema['then'])}({v}): return False")
            else:
                out.append(f"{pad}    pass")
            if "else" in schema:
                out.append(f"{pad}elif not {self.function(schema['else'])}({v}): return False")

    def emit_text(self, schema, v: str, fail_if) -> None:
        if "minLength" in schema:
            fail_if(f"isinstance({v}, str) and len({v}) < {int(schema['minLength'])}")
        if "maxLength" in schema:
            fail_if(f"isinstance({v}, str) and len({v}) > {int(schema['maxLength'])}")
        if "pattern" in schema:
            re.compile(schema["pattern"])  # a pattern Python does not take fails here, not when run
            search = self.constant(f"_re.compile({schema['pattern']!r}).search")  # as the full validator: re.search
            fail_if(f"isinstance({v}, str) and {search}({v}) is None")
        if "format" in schema:
            if schema["format"] not in self.formats:
                raise Unsupported(f"format {schema['format']!r}")
            check = self.constant(f"_formats[{schema['format']!r}]")
            fail_if(f"not (isinstance({v}, str) and {check}({v}))")

    def emit_object(self, schema, v: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        checks = []
        if "required" in schema:
            checks.append(f"{pad}    if not {self.text_set(schema['required'])} <= {v}.keys(): return False")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        if extra is False:
            checks.append(f"{pad}    if not {v}.keys() <= {self.text_set(properties)}: return False")
        elif extra is not True:
            raise Unsupported("additionalProperties with a schema")
        for name, sub in properties.items():
            inner: list[str] = []
            item = self.variable()
            self.emit(sub, item, inner, depth + 2)
            if inner:
                checks.append(f"{pad}    {item} = {v}.get({name!r}, _MISSING)")
                checks.append(f"{pad}    if {item} is not _MISSING:")
                checks += inner
        if checks:
            out.append(f"{pad}if isinstance({v}, dict):")
            out += checks

    def emit_array(self, schema, v: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        checks = []
        if "minItems" in schema:
            checks.append(f"{pad}    if len({v}) < {int(schema['minItems'])}: return False")
        if "maxItems" in schema:
            checks.append(f"{pad}    if len({v}) > {int(schema['maxItems'])}: return False")
        if schema.get("uniqueItems") is True:
            checks.append(f"{pad}    if not _unique({v}): return False")
        if "items" in schema:
            if not isinstance(schema["items"], (dict, bool)):
                raise Unsupported("items as a list")
            inner: list[str] = []
            item = self.variable()
            self.emit(schema["items"], item, inner, depth + 2)
            if inner:
                checks.append(f"{pad}    for {item} in {v}:")
                checks += inner
        if checks:
            out.append(f"{pad}if isinstance({v}, list):")
            out += checks

    def variable(self) -> str:
        self.variables += 1
        return f"x{self.variables}"


_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "anyOf",
        "allOf",
        "if",
        "then",
        "else",
    }
)
# Keywords of a schema written into the checks of each value it applies to rather than called.
_INLINE = frozenset({"type", "enum", "const", "minLength", "maxLength", "pattern", "format", "minimum", "maximum"})


def _simple(schema) -> bool:
    return isinstance(schema, dict) and set(schema) - _ANNOTATIONS <= _INLINE
