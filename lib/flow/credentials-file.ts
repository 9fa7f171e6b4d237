import { existsSync, readFileSync, realpathSync } from "node:fs";
import { writeFileAtomic } from "../local-aws/store/atomic-file.ts";

/*
 * The shared credentials file (and, for reading, the config file), read as the AWS SDK v3 reads it (@smithy/core's `parseIni`):
 * lines end at `\n` or `\r\n`; a comment starts at `#` or `;` at the start of a line or after
 * whitespace; a line that is `[name]` once its comment is cut and its ends trimmed opens the
 * profile `name`, taken as written (`[ saas_user ]` is the profile " saas_user ", for botocore
 * too); `key = value` is trimmed around the first `=` and keeps everything else, quotes included;
 * a key with an empty value opens a block of indented nested keys; a profile written twice is
 * merged, the later key winning. botocore (configparser) also accepts `key: value`, keeps inline
 * comments in values and refuses a profile or key written twice, so what this module writes
 * avoids all three.
 *
 * The file is edited, never rewritten: only the profile's own lines change, from its header to
 * its last setting (comments and blank lines before its header or after that setting are kept,
 * except the blank lines that separated it from what came before, on removal). Every other
 * byte stays, line endings (CRLF when the file's first line ends so) and a missing final newline
 * included, and the file is written (atomically, mode 0600) only when its bytes change.
 */

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Adds the profile, or replaces its lines (every copy of it, leaving one), keeping every other byte. */
export function putProfile(file: string, profile: string, key: AccessKey): void {
  checkProfileName(profile);
  checkValue(file, profile, "access key id", key.accessKeyId);
  checkValue(file, profile, "secret access key", key.secretAccessKey);
  editFile(file, (text) => {
    const lines = splitLines(text);
    const eol = lineBreakOf(text);
    const section = [`[${profile}]`, `aws_access_key_id = ${key.accessKeyId}`, `aws_secret_access_key = ${key.secretAccessKey}`].join(eol);
    const [first, ...copies] = sectionsNamed(lines, profile);
    if (first) {
      const replacement = { from: lines[first.header]!.start, to: lines[first.last]!.textEnd, insert: section };
      return applyEdits(text, [replacement, ...copies.map((copy) => removal(lines, copy))]);
    }
    const last = lastNonBlank(lines); // appended after the last non-blank line, a blank line between
    return last ? applyEdits(text, [{ from: last.textEnd, to: last.textEnd, insert: eol + eol + section }]) : section + eol + text;
  });
}

/** Removes the profile (every copy of it) if present, keeping every other byte. */
export function removeProfile(file: string, profile: string): void {
  checkProfileName(profile);
  editFile(file, (text) => {
    const lines = splitLines(text);
    return applyEdits(text, sectionsNamed(lines, profile).map((section) => removal(lines, section)));
  });
}

/** The profile's access key as the AWS SDK reads it, or undefined when the file or either key is missing. */
export function readProfileKey(file: string, profile: string): AccessKey | undefined {
  checkProfileName(profile);
  const settings = profileSettings(existsSync(file) ? readText(file) : "", profile);
  const accessKeyId = settings.get("aws_access_key_id");
  const secretAccessKey = settings.get("aws_secret_access_key");
  return accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey } : undefined;
}

/**
 * A setting of the profile in the shared config file, read the same way, where the profile's
 * section is `[profile name]` (`[default]` for the default one); undefined when absent.
 */
export function readConfigSetting(file: string, profile: string, key: string): string | undefined {
  checkProfileName(profile);
  if (!existsSync(file)) return undefined;
  return profileSettings(readText(file), profile === "default" ? "default" : `profile ${profile}`).get(key);
}

/** Characters the SDK accepts in a credentials-file profile name (it ignores `[a b]`, throws on `[__proto__]`). */
const PROFILE_NAME = /^[\w\-@+.%:/]+$/;

function checkProfileName(profile: string): void {
  if (!PROFILE_NAME.test(profile) || profile === "__proto__") {
    throw new Error(`Profile name ${JSON.stringify(profile)} cannot be used in a credentials file: use only letters, digits and _ - . @ + % : /`);
  }
}

/** A value both the SDK and botocore read back as written: printable ASCII, no spaces, not starting a comment. */
function checkValue(file: string, profile: string, what: string, value: string): void {
  if (!/^[!-~]+$/.test(value) || /^[#;]/.test(value)) {
    throw new Error(`The ${what} for profile ${profile} cannot be written to ${file}: it is empty, holds whitespace or non-ASCII characters, or starts with # or ;`);
  }
}

function editFile(file: string, change: (text: string) => string): void {
  const exists = existsSync(file);
  const path = exists ? realpathSync(file) : file; // a symlinked file is edited where it lives
  const before = exists ? readText(path) : "";
  const after = change(before);
  if (after !== before) writeFileAtomic(path, after);
}

/** The file's text, refusing bytes that would not survive a round trip through UTF-8. */
function readText(file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(readFileSync(file));
  } catch (error) {
    if (error instanceof TypeError) throw new Error(`${file} is not UTF-8 text as AWS credentials and config files must be; fix it, or point AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE at another file`);
    throw error;
  }
}

interface Line {
  start: number;
  /** Where the line's text ends and its line break (`\n`, `\r\n` or none at the end of the file) begins. */
  textEnd: number;
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    const textEnd = newline === -1 ? end : newline > start && text[newline - 1] === "\r" ? newline - 1 : newline;
    lines.push({ start, textEnd, end, text: text.slice(start, textEnd) });
    start = end;
  }
  return lines;
}

const isNotBlank = (line: Line): boolean => line.text.trim() !== "";

function lastNonBlank(lines: Line[]): Line | undefined {
  return lines.filter(isNotBlank).at(-1);
}

function lineBreakOf(text: string): string {
  const newline = text.indexOf("\n");
  return newline > 0 && text[newline - 1] === "\r" ? "\r\n" : "\n";
}

/** The line without its comment and surrounding whitespace, as the SDK sees it. */
function meaningful(line: string): string {
  return line.split(/(?:^|\s)[;#]/)[0]!.trim();
}

function headerName(line: string): string | undefined {
  const content = meaningful(line);
  return content.startsWith("[") && content.endsWith("]") ? content.slice(1, -1) : undefined;
}

/** A profile's lines: its header and its last line with a setting (or the header, if none). */
interface Section {
  header: number;
  last: number;
}

function sectionsNamed(lines: Line[], profile: string): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  lines.forEach((line, index) => {
    const name = headerName(line.text);
    if (name !== undefined) {
      current = name === profile ? { header: index, last: index } : undefined;
      if (current) sections.push(current);
    } else if (current && meaningful(line.text) !== "") {
      current.last = index;
    }
  });
  return sections;
}

interface Edit {
  from: number;
  to: number;
  insert: string;
}

/**
 * Removes what appending the section added: from the end of the last non-blank line before it
 * to the end of its last setting; a section opening the file takes the blank lines after it.
 */
function removal(lines: Line[], section: Section): Edit {
  const before = lastNonBlank(lines.slice(0, section.header));
  if (before) return { from: before.textEnd, to: lines[section.last]!.textEnd, insert: "" };
  const after = lines.slice(section.last + 1).find(isNotBlank);
  return { from: lines[section.header]!.start, to: after ? after.start : lines[section.last]!.end, insert: "" };
}

function applyEdits(text: string, edits: Edit[]): string {
  return edits.sort((a, b) => b.from - a.from).reduce((result, edit) => result.slice(0, edit.from) + edit.insert + result.slice(edit.to), text);
}

/** The profile's settings, as the SDK's parser gives them (nested keys as `parent.key`). */
function profileSettings(text: string, profile: string): Map<string, string> {
  const settings = new Map<string, string>();
  let inProfile = false;
  let parent: string | undefined;
  for (const { text: line } of splitLines(text)) {
    const name = headerName(line);
    if (name !== undefined) {
      inProfile = name === profile;
      parent = undefined;
      continue;
    }
    const content = meaningful(line);
    const equals = content.indexOf("=");
    if (!inProfile || equals <= 0) continue;
    const key = content.slice(0, equals).trim();
    const value = content.slice(equals + 1).trim();
    if (value === "") {
      parent = key;
      continue;
    }
    if (parent !== undefined && line.trimStart() === line) parent = undefined;
    settings.set(parent === undefined ? key : `${parent}.${key}`, value);
  }
  return settings;
}
