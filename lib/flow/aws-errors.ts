/** Error names AWS uses for "that does not exist", across the services the flow touches. */
const GONE = new Set(["NoSuchEntity", "NoSuchEntityException", "NoSuchBucket", "NoSuchKey", "NoSuchBucketPolicy", "NotFound", "ResourceNotFound"]);

export function isGone(error: unknown): boolean {
  const { name = "", message = "" } = error as { name?: string; message?: string };
  return GONE.has(name) || ((name === "ValidationException" || name === "ValidationError") && /Could not find/i.test(message));
}

export function isAlreadyThere(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? "";
  return name === "EntityAlreadyExists" || name === "EntityAlreadyExistsException";
}

/** Runs an action, treating "already gone" as done. */
export async function ignoringGone(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!isGone(error)) throw error;
  }
}

/** Runs a create, returning false instead of failing when it already exists. */
export async function createIfMissing(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    if (isAlreadyThere(error)) return false;
    throw error;
  }
}
