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

/**
 * An error as one line: its AWS name (when it has one) and the first line of its message; for an
 * answer the SDK could not read (an HTML error page), the HTTP status too.
 */
export function describeError(error: unknown): string {
  const { name = "", message = String(error), $metadata } = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const firstLine = message.split("\n")[0]!.trim();
  if (name === "SyntaxError" && $metadata?.httpStatusCode) return `the service answered HTTP ${$metadata.httpStatusCode} with a body the SDK could not read (${firstLine})`;
  return name && name !== "Error" && !firstLine.startsWith(name) ? `${name}: ${firstLine}` : firstLine;
}
