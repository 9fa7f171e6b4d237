import type { ConditionContext } from "./types.ts";

export type ContextValue = string | readonly string[];

/** Request context with AWS's case-insensitive key lookup. An array value is a multivalued key. */
export class RequestContext {
  private readonly values = new Map<string, ContextValue>();

  constructor(context: ConditionContext) {
    for (const [key, value] of Object.entries(context)) {
      if (value !== undefined) this.values.set(key.toLowerCase(), value);
    }
  }

  get(key: string): ContextValue | undefined {
    return this.values.get(key.toLowerCase());
  }
}
