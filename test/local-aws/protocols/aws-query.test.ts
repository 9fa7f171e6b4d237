import { describe, expect, it } from "vitest";
import { awsQuery, nestParameters } from "../../../lib/local-aws/protocols/aws-query.ts";
import { AwsError } from "../../../lib/local-aws/errors.ts";
import type { ServiceDefinition } from "../../../lib/local-aws/service.ts";

const service: ServiceDefinition = { signingName: "iam", protocol: "awsQuery", xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/", operations: {} };

describe("awsQuery parameters", () => {
  it("nests members and map entries in index order", () => {
    const input = nestParameters(
      new URLSearchParams("UserName=bob&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1&Attrs.entry.1.key=k&Attrs.entry.1.value=v&Ids.member.1=x"),
    );
    expect(input).toEqual({
      UserName: "bob",
      Tags: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
      Attrs: { k: "v" },
      Ids: ["x"],
    });
  });

  it("rejects names that would pollute prototypes or conflict", () => {
    expect(() => nestParameters(new URLSearchParams("constructor.prototype.x=1"))).toThrow(AwsError);
    expect(() => nestParameters(new URLSearchParams("A=1&A.b=2"))).toThrow(/conflicts/);
    expect(() => nestParameters(new URLSearchParams("A.b=2&A=1"))).toThrow(/conflicts/);
    expect(() => nestParameters(new URLSearchParams("L.member.0=1"))).toThrow(/List index/);
    expect(() => nestParameters(new URLSearchParams("L..x=1"))).toThrow(/not valid/);
  });
});

describe("awsQuery responses", () => {
  it("wraps results with ResponseMetadata, lists as members, dates ISO, text escaped", () => {
    const response = awsQuery.result(
      { Users: [{ UserName: "a<b>&c", CreateDate: new Date("2026-01-02T03:04:05Z"), Enabled: true }], IsTruncated: false, Marker: undefined },
      "ListUsers",
      service,
      "req-1",
    );
    expect(response.status).toBe(200);
    expect(response.headers["x-amzn-requestid"]).toBe("req-1");
    const body = String(response.body);
    expect(body).toContain('<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    expect(body).toContain("<ListUsersResult><Users><member><UserName>a&lt;b&gt;&amp;c</UserName><CreateDate>2026-01-02T03:04:05.000Z</CreateDate><Enabled>true</Enabled></member></Users><IsTruncated>false</IsTruncated></ListUsersResult>");
    expect(body).toContain("<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>");
    expect(body).not.toContain("Marker");
  });

  it("writes errors as ErrorResponse with Type, Code and Message", () => {
    const response = awsQuery.error(new AwsError("NoSuchEntity", "The user with name x cannot be found.", 404), service, "req-2");
    expect(response.status).toBe(404);
    expect(String(response.body)).toContain("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name x cannot be found.</Message></Error><RequestId>req-2</RequestId></ErrorResponse>");
  });
});
