"""The JSON Schemas of the record kinds: the single description of each record's shape.

Validation turns every schema error into a located finding: an unknown field points at its
key and suggests the nearest known one, a wrong value points at the value.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from kb.model.dates import DateError, PartialDate
from kb.model.findings import ERROR, code, finding
from kb.model.records import FILE_KINDS
from kb.model.text import did_you_mean

KINDS = FILE_KINDS
_FILES = KINDS + ("common",)

# The codes this module reports, each with its documentation (see kb/model/findings.py).
code(
    "KB500",
    "impossible-date",
    ERROR,
    """A date of the right form that does not exist, such as 2025-02-30 or 2024-13.

    Usually a typo in the day or month: check it against the source and a calendar.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
            published: 2024-06-31

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
            published: 2024-07-14
    """,
)
code(
    "KB200",
    "missing-field",
    ERROR,
    """A required field is missing.

    A meeting needs `id`, `title`, `date`, `status`, `participants` and `sources`; a person and an
    organisation need `id` and `name`. `kb new` writes a skeleton with every required field.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
    """,
)
code(
    "KB201",
    "unknown-field",
    ERROR,
    """A field the schema does not know (often a typo: see the suggestion).

    A misspelt field is not read at all, so what it holds would be silently lost; the hint names
    the nearest known field. `kb schema` prints every field of a record kind.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        topic: [counter-narcotics]
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        topics: [counter-narcotics]
        sources:
          - url: https://example.org/report
    """,
)
code(
    "KB202",
    "wrong-type",
    ERROR,
    """A field has the wrong type (a list where text is expected, ...).

    A list field written as a single value (or text written as a list) cannot be read as meant.
    The hint shows how to write the value.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        topics: counter-narcotics
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        topics: [counter-narcotics]
        sources:
          - url: https://example.org/report
    """,
)
code(
    "KB203",
    "invalid-value",
    ERROR,
    """A value outside what the schema allows (an unknown status, a malformed id or date, ...).

    Statuses, modes, kinds and sensitivity markings come from fixed lists, and ids and dates have
    a fixed form, so that every command reads them alike. The hint lists the allowed values.

    Failing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: hold
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report

    Passing: meetings/2024-07-13-naqvi-blome.yaml
        id: 2024-07-13-naqvi-blome
        title: Interior Minister meets the US Ambassador
        date: 2024-07-13
        status: held
        participants:
          - {person: mohsin-naqvi, side: PK, title: Interior Minister}
          - {person: donald-blome, side: US, title: Ambassador}
        sources:
          - url: https://example.org/report
    """,
)


# The schema files, beside this package (as kb.store.cache stamps them). Read by their path:
# importlib.resources costs a few milliseconds to import, on every command that reads the cache.
_SCHEMA_FOLDER = Path(__file__).resolve().parent.parent / "schemas"


@cache
def schema_text(kind: str) -> str:
    name = f"{kind}.schema.json"
    try:
        return (_SCHEMA_FOLDER / name).read_text("utf-8")
    except FileNotFoundError:  # kb run from an archive: its package data is had through importlib
        from importlib import resources

        return resources.files("kb.schemas").joinpath(name).read_text("utf-8")


@cache
def schema(kind: str) -> dict:
    return json.loads(schema_text(kind))


def is_url(text: str) -> bool:
    """Whether ``text`` is an address a record may hold (a source's `url`): the schema's own
    pattern, so that what a form or an option writes passes `kb check`."""
    import re

    return re.search(schema("common")["$defs"]["url"]["pattern"], text) is not None


def bundled(kind: str) -> dict:
    """The schema with the shared definitions folded in, for tools that take one file."""
    document = json.loads(schema_text(kind))
    common = schema("common")["$defs"]
    document.setdefault("$defs", {}).update(common)
    text = json.dumps(document).replace('"common.schema.json#/$defs/', '"#/$defs/')
    return json.loads(text)


@cache
def _validator(kind: str):
    import jsonschema
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (f"{name}.schema.json", Resource.from_contents(schema(name))) for name in _FILES
    )
    registry = registry.with_resources((schema(name)["$id"], Resource.from_contents(schema(name))) for name in _FILES)
    return jsonschema.Draft202012Validator(schema(kind), registry=registry, format_checker=_formats())


def _formats():
    import jsonschema

    formats = jsonschema.FormatChecker(formats=())
    formats.checks("kb-date", raises=DateError)(lambda value: PartialDate.parse(value) is not None)
    return formats


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing (null)"
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "nothing",
}


def _leaf(error):
    """For anyOf/oneOf, the most specific sub-error is the useful one."""
    while error.context:
        error = min(error.context, key=lambda e: (-len(e.absolute_path), e.validator == "required"))
    return error


@cache
def _fast_validator(kind: str):
    """The schema compiled to one Python function (kb.store.schemacode): it only answers "valid
    or not", about thirty times faster than the full validator; None when the schema uses what
    that compiler does not take (the full validator then checks every record). Taken from the
    code ``load_compiled`` read back when it did, else compiled here."""
    from kb.store.schemacode import predicate

    code = _CODES[kind] if kind in _CODES else _schema_code(kind)
    return None if code is None else predicate(code, _FORMATS)


def _schema_code(kind: str):
    from kb.store.schemacode import Unsupported, schema_code

    try:
        return schema_code(bundled(kind), _FORMATS)
    except Unsupported:
        return None


# The compiled schemas' code by kind (None: the compiler does not take that schema), when it was
# stored by an earlier process and read back (kb.store.reading keeps it in the cache folder).
_CODES: dict = {}


def compiled_codes() -> dict:
    """The compiled code of every kind's schema, to be stored (and given back to ``use_codes`` by
    the next process); compiled now unless it was given."""
    if set(_CODES) != set(KINDS):
        _CODES.update({kind: _schema_code(kind) for kind in KINDS if kind not in _CODES})
    return dict(_CODES)


def use_codes(loaded) -> bool:
    """Validate with the compiled code ``loaded`` (as ``compiled_codes`` gave it, read back by a
    later process), when it is that; False, and nothing used, when it is anything else."""
    from types import CodeType

    if not isinstance(loaded, dict) or set(loaded) != set(KINDS):
        return False
    if not all(code is None or isinstance(code, CodeType) for code in loaded.values()):
        return False
    _CODES.update(loaded)
    return True


def _is_kb_date(value) -> bool:
    try:
        PartialDate.parse(value)
    except DateError:
        return False
    return True


# The format functions the compiled schemas call, by the name the schemas give them.
_FORMATS = {"kb-date": _is_kb_date}


def fast_valid(kind: str, data) -> bool:
    """True when ``data`` certainly passes the ``kind`` schema. False means 'ask the full validator':
    the compiled check is stricter in corner cases (1.0 as an integer), never looser."""
    valid = _fast_validator(kind)
    if valid is None:
        return False
    try:
        return valid(data)
    except Exception:  # anything odd: the full validator decides
        return False


def fingerprint() -> str:
    """A digest of every schema file: a cache of validated records is void when it changes."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for name in _FILES:
        digest.update(schema_text(name).encode("utf-8"))
    return digest.hexdigest()


def validate(kind: str, data, relpath: str, where) -> list:
    """Findings for ``data`` against the ``kind`` schema; ``where(path, at_key)`` gives positions.

    Most records are valid: the compiled validator says so cheaply, and the full one (which
    reports every error with its place) runs only on the records it rejects."""
    if fast_valid(kind, data):
        return []
    findings = []
    for error in _validator(kind).iter_errors(data):
        findings.extend(_findings_for(error, relpath, where))
    return findings


def _findings_for(error, relpath, where):
    path = tuple(error.absolute_path)
    validator = error.validator
    if validator == "anyOf" and error.schema.get("anyOf") == [{"required": ["person"]}, {"required": ["org"]}]:
        line, column = where(path, False)
        yield finding(
            "KB200",
            relpath,
            line,
            column,
            "a participant needs a 'person' (a known person's id) or an 'org'",
            "add 'person: <id>' or, for an unnamed official, 'org: <id>'",
        )
        return
    if validator in ("anyOf", "oneOf"):
        error = _leaf(error)
        path, validator = tuple(error.absolute_path), error.validator
    name = path[-1] if path and isinstance(path[-1], str) else None
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        line, column = where(path, False)
        place = f"'{name}'" if name else ("this entry" if path else "the record")
        yield finding(
            "KB200", relpath, line, column, f"{place} is missing the required field '{missing}'", f"add '{missing}:'"
        )
    elif validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in sorted(k for k in instance if k not in known):
            line, column = where(path + (key,), True)
            suggestion = did_you_mean(key, known)
            hint = f"did you mean '{suggestion}'?" if suggestion else "known fields: " + ", ".join(known)
            yield finding("KB201", relpath, line, column, f"unknown field '{key}'", hint)
    elif validator == "type":
        line, column = where(path, False)
        wanted = error.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        label = f"'{name}'" if name else "this value"
        yield finding(
            "KB202",
            relpath,
            line,
            column,
            f"{label} should be {words}, not {_describe(error.instance)}",
            _type_hint(error.instance, wanted),
        )
    elif validator == "format" and error.validator_value == "kb-date":
        line, column = where(path, False)
        yield finding(
            "KB500",
            relpath,
            line,
            column,
            str(error.cause or error.message),
            "check the day and month against a calendar",
        )
    else:
        line, column = where(path, False)
        yield finding("KB203", relpath, line, column, *_value_problem(error, name))


def _type_hint(instance, wanted) -> str:
    if "string" in wanted and isinstance(instance, (list, dict)):
        return "write it on one line, or as a block with '|'"
    if "array" in wanted and not isinstance(instance, list):
        return "write it as a list: each item on its own line starting with '- '"
    if "object" in wanted:
        return "write it as indented 'field: value' lines"
    return "see `kb schema` for the expected shape"


def _value_problem(error, name) -> tuple[str, str]:
    value = error.instance
    validator = error.validator
    label = f"'{name}'" if name else "value"
    if validator == "enum":
        options = [str(v) for v in error.validator_value]
        suggestion = did_you_mean(str(value), options)
        hint = f"did you mean '{suggestion}'?" if suggestion else "allowed: " + ", ".join(options)
        return f"{label} is {value!r}, which is not one of the allowed values", hint
    if validator == "pattern":
        pattern = error.validator_value
        if "[~?]" in pattern:
            try:
                PartialDate.parse(value)
            except DateError as problem:
                return f"{label}: {problem}", "dates are YYYY, YYYY-MM or YYYY-MM-DD, with ~ if approximate"
        if pattern == "^[A-Z]{2}$":
            return (
                f"{label} is {value!r}, not an ISO 3166 alpha-2 country code",
                "use two capital letters, such as PK, US or GB",
            )
        if pattern.startswith("^[a-z0-9]"):
            return (
                f"{label} {value!r} is not a valid id",
                "ids are lower-case letters, digits and hyphens, such as 'donald-blome'",
            )
        if pattern.startswith("^https?"):
            return f"{label} {value!r} is not an http(s) address", "write the full address, starting with https://"
        return f"{label} {value!r} does not have the expected form", f"it must match {pattern}"
    if validator in ("minItems", "minLength"):
        return f"{label} is empty", "fill it in, or remove the field"
    if validator == "maxLength":
        return f"{label} is too long", f"keep it under {error.validator_value} characters"
    if validator in ("minimum", "maximum"):
        return f"{label} {value!r} is out of range", "a year has four digits"
    if validator == "uniqueItems":
        return f"{label} lists the same item twice", "remove the repeated item"
    return error.message, "see `kb schema` for the expected shape"


SCHEMA_FOLDER = "schemas"


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def write_all(root, overwrite: bool = True) -> list:
    """Write every kind's bundled schema to ``root/schemas/`` so that editors find them offline.

    The files are generated from the installed kb, so rewriting them after an upgrade is the point."""
    from kb.store import atomic

    folder = Path(root) / SCHEMA_FOLDER
    written = []
    for kind in KINDS:
        path = folder / schema_file_name(kind)
        text = json.dumps(bundled(kind), indent=2, ensure_ascii=False) + "\n"
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        atomic.write_text(path, text, overwrite=overwrite)
        written.append(path)
    return written
