/** An error with AWS's shape: a code, an HTTP status and whether the caller (Sender) or the service (Receiver) is at fault. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: "Sender" | "Receiver" = status >= 500 ? "Receiver" : "Sender",
    /** Extra members some error shapes carry (ModelError's OriginalStatusCode ...). */
    readonly fields: Record<string, unknown> = {},
    /** Response headers some errors carry (S3's x-amz-bucket-region on a redirect). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const validationError = (message: string) => new AwsError("ValidationError", message, 400);
export const noSuchEntity = (message: string) => new AwsError("NoSuchEntity", message, 404);
export const entityAlreadyExists = (message: string) => new AwsError("EntityAlreadyExists", message, 409);
export const deleteConflict = (message: string) => new AwsError("DeleteConflict", message, 409);
export const limitExceeded = (message: string) => new AwsError("LimitExceeded", message, 409);
export const malformedPolicyDocument = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);
export const accessDenied = (message: string) => new AwsError("AccessDenied", message, 403);
