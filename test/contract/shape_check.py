"""Structural validation of wire values against botocore's loaded service model.

Walks an output (or error) shape recursively and reports every place where a value the server
sent does not conform: unknown members, missing required members, wrong JSON types, enum values
outside the model, string/list/map length, string patterns and numeric ranges.

Patterns must match the whole value, as AWS's services apply them ("Member must satisfy regular
expression pattern: ..."), with Java's POSIX classes (\\p{ASCII}) rewritten for Python's `re`.
"""

import base64
import binascii
import email.utils
import re


ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")
FLOAT_SPECIALS = {"NaN", "Infinity", "-Infinity"}
MAX_EPOCH_SECONDS = 10**10  # the year 2286; epoch milliseconds of today are far above
# Java's POSIX character classes, which the models' patterns use and Python's `re` lacks.
JAVA_CLASSES = {
    "ASCII": r"\x00-\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Upper": "A-Z",
    "Lower": "a-z",
    "Punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "Space": r" \t\n\x0B\f\r",
    "XDigit": "0-9a-fA-F",
}
JAVA_CLASS = re.compile(r"\\([pP])\{(\w+)\}")


class ShapeChecker:
    """Checks values against one protocol's wire encoding of a model's shapes."""

    def __init__(self, default_timestamp_format):
        self.default_timestamp_format = default_timestamp_format
        self.patterns = {}

    def check(self, shape, value, path):
        """The violations of `value` against `shape`, as (path, message) pairs."""
        out = []
        self._value(shape, value, path, out)
        return out

    def check_payload(self, shape, data, path):
        """The violations of raw payload bytes (a blob or string payload member) against `shape`'s length."""
        out = []
        self._size(shape, len(data), path, out, "bytes")
        return out

    def _value(self, shape, value, path, out):
        if value is None:
            out.append((path, f"null where the model has {shape.type_name} {shape.name}; absent members must be omitted"))
            return
        check = getattr(self, f"_{shape.type_name}", None)
        if check is None:
            raise NotImplementedError(f"shape type {shape.type_name} ({shape.name}) at {path}")
        check(shape, value, path, out)

    def _structure(self, shape, value, path, out):
        if not isinstance(value, dict):
            out.append((path, f"expected a JSON object for structure {shape.name}, got {type_name(value)}"))
            return
        members = shape.members
        for name in value:
            if name not in members:
                out.append((join(path, name), f"member {name!r} is not in the model's {shape.name} (members: {', '.join(members)})"))
        for name in shape.required_members:
            if value.get(name) is None:
                out.append((join(path, name), f"required member of {shape.name} is missing"))
        present = [name for name in value if name in members and value[name] is not None]
        if shape.metadata.get("union") and len(present) != 1:
            out.append((path, f"union {shape.name} must set exactly one member, sets {len(present)}: {present}"))
        for name in value:
            if name in members:
                self._value(members[name], value[name], join(path, name), out)

    def _list(self, shape, value, path, out):
        if not isinstance(value, list):
            out.append((path, f"expected a JSON array for list {shape.name}, got {type_name(value)}"))
            return
        self._size(shape, len(value), path, out, "items")
        for index, item in enumerate(value):
            self._value(shape.member, item, f"{path}[{index}]", out)

    def _map(self, shape, value, path, out):
        if not isinstance(value, dict):
            out.append((path, f"expected a JSON object for map {shape.name}, got {type_name(value)}"))
            return
        self._size(shape, len(value), path, out, "entries")
        for key, item in value.items():
            self._value(shape.key, key, f"{path}{{key {key!r}}}", out)
            self._value(shape.value, item, join(path, key), out)

    def _string(self, shape, value, path, out):
        if not isinstance(value, str):
            out.append((path, f"expected a string for {shape.name}, got {type_name(value)} {value!r}"))
            return
        if shape.enum and value not in shape.enum:
            out.append((path, f"{value!r} is not a value of enum {shape.name} ({', '.join(shape.enum)})"))
        self._size(shape, len(value), path, out, "characters")
        pattern = shape.metadata.get("pattern")
        if pattern is not None and not self._pattern(pattern).fullmatch(value):
            out.append((path, f"{shorten(value)!r} does not match {shape.name}'s pattern {pattern}"))

    def _blob(self, shape, value, path, out):
        if not isinstance(value, str):
            out.append((path, f"expected a base64 string for blob {shape.name}, got {type_name(value)}"))
            return
        try:
            data = base64.b64decode(value, validate=True)
        except binascii.Error:
            out.append((path, f"blob {shape.name} is not valid base64"))
            return
        self._size(shape, len(data), path, out, "bytes")

    def _boolean(self, shape, value, path, out):
        if not isinstance(value, bool):
            out.append((path, f"expected a boolean for {shape.name}, got {type_name(value)} {value!r}"))

    def _integer(self, shape, value, path, out):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append((path, f"expected an integer for {shape.name}, got {type_name(value)} {value!r}"))
            return
        self._range(shape, value, path, out)

    _long = _integer

    def _float(self, shape, value, path, out):
        if isinstance(value, str) and value in FLOAT_SPECIALS:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append((path, f"expected a number for {shape.name}, got {type_name(value)} {value!r}"))
            return
        self._range(shape, value, path, out)

    _double = _float

    def _timestamp(self, shape, value, path, out):
        wire = shape.serialization.get("timestampFormat") or self.default_timestamp_format
        if wire == "unixTimestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                out.append((path, f"expected epoch seconds (a JSON number) for timestamp {shape.name}, got {type_name(value)} {value!r}"))
            elif not 0 <= value < MAX_EPOCH_SECONDS:
                out.append((path, f"{value} is not epoch seconds for timestamp {shape.name} (milliseconds?)"))
        elif wire == "iso8601":
            if not (isinstance(value, str) and ISO_8601.match(value)):
                out.append((path, f"expected an ISO 8601 string for timestamp {shape.name}, got {value!r}"))
        elif not (isinstance(value, str) and email.utils.parsedate_tz(value)):
            out.append((path, f"expected an HTTP date for timestamp {shape.name}, got {value!r}"))

    def _size(self, shape, size, path, out, unit):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            out.append((path, f"{size} {unit}, below {shape.name}'s min {low}"))
        if high is not None and size > high:
            out.append((path, f"{size} {unit}, above {shape.name}'s max {high}"))

    def _range(self, shape, value, path, out):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and value < low:
            out.append((path, f"{value} is below {shape.name}'s min {low}"))
        if high is not None and value > high:
            out.append((path, f"{value} is above {shape.name}'s max {high}"))

    def _pattern(self, pattern):
        if pattern not in self.patterns:
            self.patterns[pattern] = re.compile(java_to_python(pattern))
        return self.patterns[pattern]


def java_to_python(pattern):
    """Rewrites \\p{Class} / \\P{Class} as character sets (inside a set too); unknown classes raise KeyError."""

    def rewrite(match):
        chars = JAVA_CLASSES[match.group(2)]
        inside_set = pattern.rfind("[", 0, match.start()) > pattern.rfind("]", 0, match.start())
        if inside_set:
            if match.group(1) == "P":
                raise ValueError(f"negated class inside a set is not supported: {pattern}")
            return chars
        return f"[{'^' if match.group(1) == 'P' else ''}{chars}]"

    return JAVA_CLASS.sub(rewrite, pattern)


def join(path, name):
    return f"{path}.{name}" if path else name


def type_name(value):
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}.get(type(value), type(value).__name__)


def shorten(text, limit=120):
    return text if len(text) <= limit else text[:limit] + "…"
