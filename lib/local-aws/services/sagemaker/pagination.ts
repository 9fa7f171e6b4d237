import type { OperationInput } from "../../service.ts";
import { invalid, optionalInteger, optionalString } from "./input.ts";

/**
 * MaxResults/NextToken over an already ordered list (the token is the offset, opaque to clients).
 * MaxResults is 1..100 in most List operations (AutoMLMaxResults, MaxResults in the service model);
 * ListCandidatesForAutoMLJob allows 300 (AutoMLMaxResultsForTrials).
 */
export function paginate<T>(input: OperationInput, items: readonly T[], defaultMax = 100, largestMax = 100): { items: T[]; nextToken?: string } {
  const max = optionalInteger(input, "MaxResults", 1, largestMax) ?? defaultMax;
  const token = optionalString(input, "NextToken", /^[A-Za-z0-9_-]{1,64}$/);
  const start = token === undefined ? 0 : Number(Buffer.from(token, "base64url").toString("utf8"));
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalid("The NextToken is not valid for this request.");
  const end = start + max;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(String(end), "utf8").toString("base64url") } : {}) };
}

/** SortOrder Ascending/Descending applied to a comparison. */
export function sortOrder(input: OperationInput, defaultOrder: "Ascending" | "Descending"): 1 | -1 {
  const order = optionalString(input, "SortOrder", /^(Ascending|Descending)$/) ?? defaultOrder;
  return order === "Ascending" ? 1 : -1;
}
