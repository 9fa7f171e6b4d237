import { randomBytes } from "node:crypto";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** An AWS-style identifier: a 4-letter prefix (AKIA, ASIA, AIDA, AROA ...) and 16 random characters. */
export function awsId(prefix: string, length = 20): string {
  const bytes = randomBytes(length - prefix.length);
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/** A 40-character secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString("base64").replace(/\+/g, "A").replace(/\//g, "B");
}

/** An opaque session token, as long as AWS's so clients that size buffers for them are exercised. */
export function newSessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(240).toString("base64")}`;
}
