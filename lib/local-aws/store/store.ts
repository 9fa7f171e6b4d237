import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";

/** The directories services keep files in (S3 object bodies), next to `accounts/`. */
const DATA_DIRS = ["s3"] as const;
export type DataDirName = (typeof DATA_DIRS)[number];

interface Slot {
  state: unknown;
  /** The state as last persisted; a failed update restores from it. */
  committed: string;
}

/**
 * State per account and service ("iam", "sts", ...), kept in memory and persisted as one JSON file
 * per account and service under `<stateDir>/accounts/<account>/<service>.json`.
 *
 * Updates are synchronous: the mutation and the atomic write happen in one turn of the event loop,
 * so concurrent requests never interleave inside an update, and a kill -9 mid-write leaves the
 * previous file intact. A mutation that throws is rolled back.
 */
export class Store {
  private readonly slots = new Map<string, Slot>();
  private readonly collections = new Map<string, RecordCollection<unknown>>();
  private scratchDir: string | undefined;

  /** `stateDir` undefined keeps everything in memory. */
  constructor(readonly stateDir: string | undefined) {
    if (stateDir) removeLeftoverTempFiles(join(stateDir, "accounts"));
  }

  table<T>(service: string, init: () => T): StoreTable<T> {
    return new StoreTable(this, service, init);
  }

  /** Records kept one file each, for state with many independent entries (sessions). */
  collection<T>(name: string): RecordCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new RecordCollection<T>(this.stateDir, name);
      this.collections.set(name, collection);
    }
    return collection as RecordCollection<T>;
  }

  /** Accounts that have persisted state for `service`. */
  accountsWith(service: string): string[] {
    const fromMemory = [...this.slots.keys()].filter((k) => k.endsWith(`/${service}`)).map((k) => k.split("/")[0]!);
    if (!this.stateDir) return fromMemory;
    const accountsDir = join(this.stateDir, "accounts");
    const fromDisk = existsSync(accountsDir)
      ? readdirSync(accountsDir).filter((a) => existsSync(join(accountsDir, a, `${service}.json`)))
      : [];
    return [...new Set([...fromMemory, ...fromDisk])].sort();
  }

  slot(accountId: string, service: string, init: () => unknown): Slot {
    const key = `${accountId}/${service}`;
    let slot = this.slots.get(key);
    if (!slot) {
      const file = this.fileFor(accountId, service);
      const committed = file && existsSync(file) ? readFileSync(file, "utf8") : JSON.stringify(init());
      slot = { state: JSON.parse(committed), committed };
      this.slots.set(key, slot);
    }
    return slot;
  }

  persist(accountId: string, service: string, slot: Slot): void {
    const serialized = JSON.stringify(slot.state);
    if (serialized === slot.committed) return;
    const file = this.fileFor(accountId, service);
    if (file) writeFileAtomic(file, serialized);
    slot.committed = serialized;
  }

  /**
   * A directory for a service's files (S3 object bodies): under the state dir, or, for an
   * in-memory store, under a temporary directory that `close()` removes.
   */
  dataDir(name: DataDirName): string {
    if (this.stateDir) return join(this.stateDir, name);
    this.scratchDir ??= mkdtempSync(join(tmpdir(), "local-aws-"));
    return join(this.scratchDir, name);
  }

  /**
   * Forgets everything, on disk too (`--reset`): `accounts/` and the data dirs, and nothing else
   * of the state dir. Call it before any service has used the store.
   */
  reset(): void {
    this.slots.clear();
    this.collections.clear();
    if (this.stateDir) {
      for (const entry of ["accounts", ...DATA_DIRS]) rmSync(join(this.stateDir, entry), { recursive: true, force: true });
    }
  }

  /** Removes the temporary directory of an in-memory store. */
  close(): void {
    if (this.scratchDir) rmSync(this.scratchDir, { recursive: true, force: true });
    this.scratchDir = undefined;
  }

  private fileFor(accountId: string, service: string): string | undefined {
    checkKey(accountId, service);
    return this.stateDir ? join(this.stateDir, "accounts", accountId, `${service}.json`) : undefined;
  }
}

/** One service's state, typed, across accounts. */
export class StoreTable<T> {
  constructor(
    private readonly store: Store,
    private readonly service: string,
    private readonly init: () => T,
  ) {}

  /** The current state; treat it as read-only (change it through `update`). */
  read(accountId: string): T {
    return this.store.slot(accountId, this.service, this.init).state as T;
  }

  update<R>(accountId: string, mutate: (state: T) => R): R {
    const slot = this.store.slot(accountId, this.service, this.init);
    try {
      const result = mutate(slot.state as T);
      this.store.persist(accountId, this.service, slot);
      return result;
    } catch (error) {
      slot.state = JSON.parse(slot.committed);
      throw error;
    }
  }

  accounts(): string[] {
    return this.store.accountsWith(this.service);
  }
}

function removeLeftoverTempFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".tmp")) unlinkSync(join(entry.parentPath, entry.name));
  }
}

/** Per account, records by id, each in `<stateDir>/accounts/<account>/<name>/<id>.json`. */
export class RecordCollection<T> {
  private readonly byAccount = new Map<string, Map<string, T>>();

  constructor(
    private readonly stateDir: string | undefined,
    private readonly name: string,
  ) {}

  get(accountId: string, id: string): T | undefined {
    return this.records(accountId).get(id);
  }

  put(accountId: string, id: string, record: T): void {
    const file = this.fileFor(accountId, id);
    if (file) writeFileAtomic(file, JSON.stringify(record));
    this.records(accountId).set(id, record);
  }

  delete(accountId: string, id: string): void {
    const file = this.fileFor(accountId, id);
    if (file) rmSync(file, { force: true });
    this.records(accountId).delete(id);
  }

  entries(accountId: string): IterableIterator<[string, T]> {
    return this.records(accountId).entries();
  }

  private records(accountId: string): Map<string, T> {
    let records = this.byAccount.get(accountId);
    if (!records) {
      records = new Map();
      const dir = this.dirFor(accountId);
      if (dir && existsSync(dir)) {
        for (const file of readdirSync(dir)) {
          if (file.endsWith(".json")) records.set(file.slice(0, -5), JSON.parse(readFileSync(join(dir, file), "utf8")) as T);
        }
      }
      this.byAccount.set(accountId, records);
    }
    return records;
  }

  private dirFor(accountId: string): string | undefined {
    checkKey(accountId, this.name);
    return this.stateDir ? join(this.stateDir, "accounts", accountId, this.name) : undefined;
  }

  private fileFor(accountId: string, id: string): string | undefined {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new Error(`invalid record id ${id}`);
    const dir = this.dirFor(accountId);
    return dir ? join(dir, `${id}.json`) : undefined;
  }
}

function checkKey(accountId: string, name: string): void {
  if (!/^\d{12}$/.test(accountId) || !/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid store key ${accountId}/${name}`);
}
