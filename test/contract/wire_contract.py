"""Captures botocore's raw HTTP responses and checks them against the operation's model.

Each call's response is taken from the `before-parse` event, before botocore's parser drops
members it does not know, and checked as the service's protocol puts the model on the wire:
awsJson1_1 (a JSON body, timestamps as epoch seconds, errors as `{"__type", "message"}`) or
restJson1 (members bound to headers, a payload member as the body, errors named by
`x-amzn-errortype`).
"""

import io
import json
import re

from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.response import StreamingBody

from shape_check import ShapeChecker

# AWS's documented common errors (any operation may answer them), with their HTTP status codes;
# JSON services name invalid input ValidationException.
COMMON_ERRORS = {
    "AccessDeniedException": 400,
    "IncompleteSignature": 400,
    "InternalFailure": 500,
    "InvalidAction": 400,
    "InvalidClientTokenId": 403,
    "NotAuthorized": 400,
    "OptInRequired": 403,
    "RequestExpired": 400,
    "ServiceUnavailable": 503,
    "ThrottlingException": 400,
    "ValidationError": 400,
    "ValidationException": 400,
}
DEFAULT_TIMESTAMP_FORMAT = {"json": "unixTimestamp", "rest-json": "unixTimestamp"}
AWS_JSON_CONTENT_TYPE = "application/x-amz-json-"
LIST_INDEX = re.compile(r"\[\d+\]")


class WireContract:
    """Calls operations through botocore clients and records every violation of the model."""

    def __init__(self):
        self.violations = {}
        self.calls = []
        self._raw = None

    def attach(self, client):
        client.meta.events.register("before-parse", self._capture)
        return client

    def _capture(self, operation_model, response_dict, **_):
        body = response_dict["body"]
        if isinstance(body, StreamingBody):
            data = body.read()
            response_dict["body"] = StreamingBody(io.BytesIO(data), len(data))
            body = data
        self._raw = (operation_model, {**response_dict, "body": body})

    def call(self, client, operation, params, errors=(), success=True):
        """Calls `operation`; `errors` are the error codes the scenario expects, `success` whether it may succeed.

        Returns the parsed result, or None when the call failed.
        """
        self._raw = None
        try:
            parsed = getattr(client, xform_name(operation))(**params)
            code = None
        except ClientError as error:
            parsed = None
            code = error.response.get("Error", {}).get("Code")
        model, raw = self._raw
        status = raw["status_code"]
        self.calls.append({"operation": operation, "status": status, **({"error": code} if code else {})})
        if status >= 300:
            self._check_error(model, raw)
            if code not in errors:
                self.add(operation, "(response)", f"the server refused a request the model allows: HTTP {status} {code}: {message_of(raw)}"
                         if success else f"expected error {' or '.join(errors)}, got HTTP {status} {code}: {message_of(raw)}")
        else:
            self._check_output(model, raw)
            if not success:
                self.add(operation, "(response)", f"expected error {' or '.join(errors)}, got HTTP {status}")
        return parsed

    def add(self, operation, path, message):
        """Records a violation once per operation, member path (list indexes folded) and message, counting repeats."""
        key = (operation, LIST_INDEX.sub("[]", path) or "(body)", message)
        self.violations[key] = self.violations.get(key, 0) + 1

    def report(self):
        return {
            "violations": [{"operation": op, "path": path, "message": message, "times": times} for (op, path, message), times in self.violations.items()],
            "calls": self.calls,
        }

    def _checker(self, model):
        return ShapeChecker(DEFAULT_TIMESTAMP_FORMAT[model.metadata["protocol"]])

    def _check_output(self, model, raw):
        protocol = model.metadata["protocol"]
        expected_status = model.http.get("responseCode", 200)
        if raw["status_code"] != expected_status:
            self.add(model.name, "(status)", f"HTTP {raw['status_code']}, the model's responseCode is {expected_status}")
        if protocol == "json":
            self._check_json_content_type(model, raw)
            body = self._json_body(model, raw)
            if model.output_shape is None:
                if body:
                    self.add(model.name, "", f"the operation has no output in the model, the body has members {sorted(body)}")
            elif body is not None:
                self._record(model.name, self._checker(model).check(model.output_shape, body, ""))
        else:
            self._check_rest_output(model, raw)

    def _check_rest_output(self, model, raw):
        shape = model.output_shape
        checker = self._checker(model)
        headers = {name.lower(): value for name, value in raw["headers"].items()}
        for name, member in shape.members.items():
            if member.serialization.get("location") != "header":
                continue
            value = headers.get(member.serialization["name"].lower())
            if value is None:
                if name in shape.required_members:
                    self.add(model.name, name, f"required header {member.serialization['name']} is missing")
            elif member.type_name != "string":
                raise NotImplementedError(f"header member {name} of type {member.type_name}")
            else:
                self._record(model.name, checker.check(member, value, f"{name} ({member.serialization['name']} header)"))
        payload = shape.serialization.get("payload")
        if payload is None:
            raise NotImplementedError(f"{model.name}: restJson output without a payload member")
        member = shape.members[payload]
        if member.type_name not in ("blob", "string"):
            raise NotImplementedError(f"{model.name}: payload member {payload} of type {member.type_name}")
        if payload in shape.required_members and not raw["body"]:
            self.add(model.name, payload, "the required payload is empty")
        else:
            self._record(model.name, checker.check_payload(member, raw["body"], payload))

    def _check_error(self, model, raw):
        protocol = model.metadata["protocol"]
        headers = {name.lower(): value for name, value in raw["headers"].items()}
        body = self._json_body(model, raw)
        if body is None:
            return
        if protocol == "json":
            self._check_json_content_type(model, raw)
            if not isinstance(body.get("__type"), str):
                self.add(model.name, "(error).__type", "the error body names no __type")
        wire_code = body.get("__type") or headers.get("x-amzn-errortype") or body.get("code")
        if not wire_code:
            self.add(model.name, "(error)", "neither the x-amzn-errortype header nor the body names the error")
            return
        code = wire_code.split(":")[0].split("#")[-1]
        shape = next((s for s in model.error_shapes if code in (s.name, s.metadata.get("error", {}).get("code"))), None)
        members = {name: value for name, value in body.items() if name not in ("__type", "code")}
        if shape is None:
            if code not in COMMON_ERRORS:
                self.add(model.name, "(error)", f"error {code} is neither in the operation's errors ({', '.join(s.name for s in model.error_shapes) or 'none'}) nor an AWS common error")
                return
            self._check_common_error(model, code, raw["status_code"], members)
            return
        expected = shape.metadata.get("error", {}).get("httpStatusCode")
        if expected is not None and raw["status_code"] != expected:
            self.add(model.name, f"(error {code})", f"HTTP {raw['status_code']}, the model's httpStatusCode is {expected}")
        message_member = next((name for name in shape.members if name.lower() == "message"), None)
        if message_member:
            members = {(message_member if name.lower() == "message" else name): value for name, value in members.items()}
        self._record(model.name, self._checker(model).check(shape, members, f"(error {code})"))

    def _check_common_error(self, model, code, status, members):
        if status != COMMON_ERRORS[code]:
            self.add(model.name, f"(error {code})", f"HTTP {status}, AWS answers {code} with {COMMON_ERRORS[code]}")
        for name, value in members.items():
            if name.lower() != "message":
                self.add(model.name, f"(error {code}).{name}", f"member {name!r} is not part of the common error {code}")
            elif not isinstance(value, str):
                self.add(model.name, f"(error {code}).{name}", f"the message is not a string: {value!r}")
        if not any(name.lower() == "message" for name in members):
            self.add(model.name, f"(error {code})", "the error has no message")

    def _check_json_content_type(self, model, raw):
        content_type = {name.lower(): value for name, value in raw["headers"].items()}.get("content-type", "")
        expected = AWS_JSON_CONTENT_TYPE + model.metadata["jsonVersion"]
        if not content_type.startswith(expected):
            self.add(model.name, "(content-type)", f"Content-Type {content_type!r}, awsJson answers {expected}")

    def _json_body(self, model, raw):
        text = raw["body"].decode("utf-8")
        if text.strip() == "":
            return {}
        try:
            body = json.loads(text)
        except ValueError:
            self.add(model.name, "(body)", f"the body is not JSON: {text[:200]!r}")
            return None
        if not isinstance(body, dict):
            self.add(model.name, "(body)", f"the body is not a JSON object: {text[:200]!r}")
            return None
        return body

    def _record(self, operation, problems):
        for path, message in problems:
            self.add(operation, path, message)


def message_of(raw):
    try:
        body = json.loads(raw["body"].decode("utf-8"))
    except ValueError:
        return raw["body"][:200]
    return next((value for name, value in body.items() if name.lower() == "message"), "") if isinstance(body, dict) else ""
