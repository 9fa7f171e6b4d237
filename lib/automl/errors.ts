/** Data or options that Autopilot would refuse; the message says what is wrong and how to fix it. */
export class AutoMLInputError extends Error {
  override name = "AutoMLInputError";
}
