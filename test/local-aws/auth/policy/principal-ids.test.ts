/** Principal values that are unique IDs (how IAM saves user and role ARNs in trust policies) match the principal with that ID only. */
import { describe, expect, it } from "vitest";
import { exemptedByNotPrincipal, matchPrincipal } from "../../../../lib/local-aws/auth/policy/principals.ts";
import { DEV, session, user } from "./fixtures.ts";

const ALICE_ID = "AIDAALICE234567ABCDEF";
const TRAINER_ID = "AROATRAINER234567ABCD";
const alice = { ...user("alice"), uniqueId: ALICE_ID };
const trainer = { ...session("Trainer", "job-42"), uniqueId: TRAINER_ID };

describe("unique IDs in Principal", () => {
  it("match the user, or every session of the role, with that ID; not a namesake with another ID", () => {
    expect(matchPrincipal({ AWS: ALICE_ID }, alice)).toBe("direct");
    expect(matchPrincipal({ AWS: [TRAINER_ID] }, trainer)).toBe("direct");
    expect(matchPrincipal({ AWS: ALICE_ID }, { ...alice, uniqueId: "AIDAOTHER234567ABCDEF" })).toBe("none");
    expect(matchPrincipal({ AWS: TRAINER_ID }, alice)).toBe("none");
  });

  it("in NotPrincipal exempt the user, and a session when its account and role are listed", () => {
    expect(exemptedByNotPrincipal({ AWS: [DEV, ALICE_ID] }, alice)).toBe(true);
    expect(exemptedByNotPrincipal({ AWS: [DEV, ALICE_ID] }, { ...alice, uniqueId: "AIDAOTHER234567ABCDEF" })).toBe(false);
    expect(exemptedByNotPrincipal({ AWS: [DEV, TRAINER_ID, trainer.arn] }, trainer)).toBe(true);
    expect(exemptedByNotPrincipal({ AWS: [DEV, trainer.arn] }, trainer)).toBe(false);
  });
});
