/** Tag/Untag/List{User,Role,Policy}Tags over anything taggable. */
import type { ConditionContext } from "../../auth/policy/types.ts";
import type { Operation, OperationContext, OperationInput } from "../../service.ts";
import { readHolderName, requireHolder, type HolderKind } from "./holders.ts";
import { readIam, updateIam, type IamState, type PolicyHolder, type Tag } from "./model.ts";
import { listResult } from "./pagination.ts";
import { mergeTags, readTagKeys, readTags, requestTagContext, withoutTags } from "./tags.ts";

export interface TagTarget {
  /** The word in the action names: TagUser, ListRoleTags, UntagPolicy ... */
  noun: string;
  /** Reads the name or ARN identifying the target. */
  readKey(input: OperationInput): string;
  /** Authorizes `action` on the target and returns it; `forChange` when its tags are about to change. */
  locate(ctx: OperationContext, state: IamState, key: string, action: string, context: ConditionContext, forChange: boolean): { tags: Tag[] };
}

/** Users and roles carry tags (groups do not). */
export const holderTagTarget = <R extends PolicyHolder & { tags: Tag[] }>(kind: HolderKind<R>): TagTarget => ({
  noun: kind.noun,
  readKey: (input) => readHolderName(input, kind),
  locate: (ctx, state, name, action, context) => requireHolder(ctx, state, kind, name, action, context),
});

export function tagOperations(target: TagTarget): Record<string, Operation> {
  const { noun } = target;

  const tag: Operation = (ctx, input) => {
    const key = target.readKey(input);
    const tags = readTags(input, true);
    updateIam(ctx, (state) => {
      const tagged = target.locate(ctx, state, key, `iam:Tag${noun}`, requestTagContext(tags), true);
      tagged.tags = mergeTags(tagged.tags, tags, `TagsPer${noun}`);
    });
  };

  const untag: Operation = (ctx, input) => {
    const key = target.readKey(input);
    const tagKeys = readTagKeys(input);
    updateIam(ctx, (state) => {
      const tagged = target.locate(ctx, state, key, `iam:Untag${noun}`, { "aws:TagKeys": tagKeys }, true);
      tagged.tags = withoutTags(tagged.tags, tagKeys);
    });
  };

  const list: Operation = (ctx, input) => {
    const key = target.readKey(input);
    const tagged = target.locate(ctx, readIam(ctx), key, `iam:List${noun}Tags`, {}, false);
    return listResult("Tags", tagged.tags, input, (item) => item);
  };

  return { [`Tag${noun}`]: tag, [`Untag${noun}`]: untag, [`List${noun}Tags`]: list };
}
