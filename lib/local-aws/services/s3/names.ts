import { AwsError } from "../../errors.ts";

const MAX_KEY_BYTES = 1024;

/**
 * S3's naming rules for general purpose buckets, reserved prefixes (`xn--`, `sthree-`, which covers
 * `sthree-configurator`, `amzn-s3-demo-`) and suffixes (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`,
 * `--table-s3`) included.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function checkBucketName(name: string): void {
  const problem =
    name.length < 3 || name.length > 63
      ? "must be 3 to 63 characters long"
      : !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)
        ? "may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit"
        : name.includes("..")
          ? "must not contain two adjacent periods"
          : /^\d+\.\d+\.\d+\.\d+$/.test(name)
            ? "must not be formatted as an IP address"
            : /^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)
              ? "uses a reserved prefix or suffix"
              : undefined;
  if (problem) throw new AwsError("InvalidBucketName", `The specified bucket is not valid: "${name}" ${problem}.`, 400);
}

export function checkKey(key: string): void {
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) {
    throw new AwsError("KeyTooLongError", `Your key is too long: keys are at most ${MAX_KEY_BYTES} bytes in UTF-8.`, 400);
  }
}
