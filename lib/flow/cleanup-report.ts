import { describeError, isGone } from "./aws-errors.ts";

/**
 * What one cleanup action found: it removed (or stopped) the thing, the thing was already gone, or
 * it deliberately kept it, saying why.
 */
export type Removal = "removed" | "stopped" | "already gone" | { kept: string };

/** One independent piece of cleanup: it runs whatever happened to the others. */
export interface CleanupAction {
  /** What it removes, as the report names it: "bucket x", "role y". */
  what: string;
  /** Who acts, when it is not the run's own principal (said with a failure): "profile customer_config". */
  actingAs?: string;
  /** "stop" for a job, which SageMaker keeps once it ends; "remove" otherwise. */
  verb?: "remove" | "stop";
  /**
   * The run has no record of making it (the least-privilege roles of a run without
   * --least-privilege, say): removed if it is there, and not reported at all when it is not.
   */
  ifPresent?: boolean;
  /** Resolves with what it found; an AWS "no such …" error means already gone, any other error a failure. */
  run: () => Promise<Removal>;
}

/** An action that removes with one or more calls: done when they all succeed (a "no such …" error still means already gone). */
export function removing(action: () => Promise<unknown>): () => Promise<Removal> {
  return async () => {
    await action();
    return "removed";
  };
}

export interface CleanupEntry {
  what: string;
  outcome: "removed" | "stopped" | "already gone" | "kept" | "failed";
  /** Why it was kept, or why it failed. */
  reason?: string;
}

function outcomeOf(removal: Removal): Pick<CleanupEntry, "outcome" | "reason"> {
  return typeof removal === "string" ? { outcome: removal } : { outcome: "kept", reason: removal.kept };
}

function lineFor(entry: CleanupEntry, verb: "remove" | "stop", actingAs?: string): string {
  switch (entry.outcome) {
    case "removed":
    case "stopped":
      return `  ${entry.outcome} ${entry.what}`;
    case "already gone":
      return `  already gone: ${entry.what}`;
    case "kept":
      return `  kept ${entry.what}: ${entry.reason}`;
    case "failed":
      return `  could not ${verb} ${entry.what}${actingAs ? ` (as ${actingAs})` : ""}: ${entry.reason}`;
  }
}

/** Runs cleanup actions one by one, each whatever became of the others, and says what each found. */
export class CleanupReport {
  readonly entries: CleanupEntry[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Runs the actions in order; true when none of them failed. */
  async runAll(actions: readonly CleanupAction[]): Promise<boolean> {
    let allDone = true;
    for (const action of actions) allDone = (await this.run(action)) && allDone;
    return allDone;
  }

  /** Runs one action; false when it failed. */
  async run(action: CleanupAction): Promise<boolean> {
    let entry: CleanupEntry;
    try {
      entry = { what: action.what, ...outcomeOf(await action.run()) };
    } catch (error) {
      entry = isGone(error) ? { what: action.what, outcome: "already gone" } : { what: action.what, outcome: "failed", reason: describeError(error) };
    }
    if (action.ifPresent && entry.outcome === "already gone") return true;
    this.entries.push(entry);
    this.log(lineFor(entry, action.verb ?? "remove", action.actingAs));
    return entry.outcome !== "failed";
  }

  get failures(): CleanupEntry[] {
    return this.entries.filter((entry) => entry.outcome === "failed");
  }

  /** One line: how many were removed, already gone, kept and failed. */
  summary(): string {
    const count = (...outcomes: CleanupEntry["outcome"][]) => this.entries.filter((entry) => outcomes.includes(entry.outcome)).length;
    const removed = count("removed", "stopped");
    if (this.entries.length === 0) return "  nothing to remove: nothing the run made is there";
    if (removed === 0 && this.failures.length === 0 && count("kept") === 0) return "  nothing left to remove: everything was already gone";
    const parts = [`${removed} removed`, `${count("already gone")} already gone`, ...(count("kept") ? [`${count("kept")} kept`] : []), `${this.failures.length} failed`];
    return `  cleanup: ${parts.join(", ")}`;
  }
}

/** The cleanup step's error: what it could not remove, each with AWS's reason. Everything else was removed. */
export class CleanupIncompleteError extends Error {
  constructor(readonly failures: readonly CleanupEntry[]) {
    super(
      `cleanup could not remove ${failures.length} thing(s): ${failures.map((failure) => `${failure.what} (${failure.reason})`).join("; ")}. ` +
        "Everything else is gone. Fix what the reasons say (permissions, a profile, the network) and run the cleanup again: it skips what is already gone.",
    );
  }
}
