/**
 * IAM's eventual consistency, opt-in (`LocalAwsConfig.iamDelaySeconds`). AWS documents that a change
 * made in IAM takes time to become visible from all endpoints, and advises not to depend on it in
 * the code path that made it:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 *
 * Here IAM's own API reads the current state at once (read-after-write), while authentication and
 * authorization read the entities as they were before every change still propagating. Additions
 * and removals alike wait: a new key, policy, attachment, membership or trust policy does not count
 * yet, and a deleted one still does. Each change keeps a copy of the entities before it and the
 * time it takes effect, in the persisted state, so a restart keeps what is still propagating.
 */
import type { IamEntities, IamState, PendingChange } from "./model.ts";

/** Runs `mutate` on the current state and, when it changed the entities and `delaySeconds` > 0, records the change as pending. */
export function withPropagationDelay<R>(state: IamState, now: Date, delaySeconds: number, mutate: (state: IamState) => R): R {
  const pending = stillPending(state.pendingChanges ?? [], now);
  const before = delaySeconds > 0 ? JSON.stringify(entitiesOf(state)) : undefined;
  const result = mutate(state);
  if (before !== undefined && JSON.stringify(entitiesOf(state)) !== before) {
    const last = pending.at(-1);
    // Changes take effect in the order they were made, even if the delay was shortened across a restart.
    const effectiveAt = Math.max(now.getTime() + delaySeconds * 1000, last ? Date.parse(last.effectiveAt) : 0);
    pending.push({ effectiveAt: new Date(effectiveAt).toISOString(), before: JSON.parse(before) as IamEntities });
  }
  if (pending.length > 0) state.pendingChanges = pending;
  else delete state.pendingChanges;
  return result;
}

/** The entities in effect for authorization at `now`: before the oldest change not yet effective. */
export function effectiveEntities(state: IamState, now: Date): IamEntities {
  return state.pendingChanges?.find((change) => Date.parse(change.effectiveAt) > now.getTime())?.before ?? state;
}

const stillPending = (changes: readonly PendingChange[], now: Date): PendingChange[] =>
  changes.filter((change) => Date.parse(change.effectiveAt) > now.getTime());

function entitiesOf(state: IamState): IamEntities {
  const { pendingChanges: _pending, ...entities } = state;
  return entities;
}
