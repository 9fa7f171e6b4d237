import { describe, expect, it } from "vitest";
import { ipInCidr } from "../../../../lib/local-aws/auth/policy/ipAddress.ts";

describe("ipInCidr", () => {
  it("matches IPv4 ranges", () => {
    expect(ipInCidr("203.0.113.7", "203.0.113.0/24")).toBe(true);
    expect(ipInCidr("203.0.114.7", "203.0.113.0/24")).toBe(false);
    expect(ipInCidr("10.1.2.3", "10.0.0.0/8")).toBe(true);
    expect(ipInCidr("1.2.3.4", "0.0.0.0/0")).toBe(true);
  });

  it("treats a bare address as a single host", () => {
    expect(ipInCidr("192.0.2.1", "192.0.2.1")).toBe(true);
    expect(ipInCidr("192.0.2.2", "192.0.2.1")).toBe(false);
    expect(ipInCidr("192.0.2.1", "192.0.2.1/32")).toBe(true);
  });

  it("matches IPv6 ranges, including compressed and IPv4-embedded forms", () => {
    expect(ipInCidr("2001:db8::1", "2001:db8::/32")).toBe(true);
    expect(ipInCidr("2001:db9::1", "2001:db8::/32")).toBe(false);
    expect(ipInCidr("::1", "::1/128")).toBe(true);
    expect(ipInCidr("::ffff:192.0.2.1", "::ffff:192.0.2.0/120")).toBe(true);
  });

  it("never matches across families or on malformed input", () => {
    expect(ipInCidr("192.0.2.1", "::/0")).toBe(false);
    expect(ipInCidr("not-an-ip", "0.0.0.0/0")).toBe(false);
    expect(ipInCidr("192.0.2.1", "192.0.2.0/33")).toBe(false);
    expect(ipInCidr("192.0.2.1", "192.0.2.0/x")).toBe(false);
    expect(ipInCidr("192.0.2.1", "192.0.2.0/24/1")).toBe(false);
  });
});
