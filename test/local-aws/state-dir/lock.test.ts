import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateUserCommand, ListUsersCommand, type IAMClient } from "@aws-sdk/client-iam";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalTarget } from "../../../lib/flow/targets.ts";
import { ensureLocalAwsRunning } from "../../../lib/local-aws/background.ts";
import { readServerFile, serverFilePath, StateDirInUseError } from "../../../lib/local-aws/server-file.ts";
import { clientsFor, startTestAws } from "../../helpers/local-aws.ts";
import { customerClients, runNode, serveInChild, stopChild, type NodeChild } from "./processes.ts";

const dirs: string[] = [];
const children: NodeChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await stopChild(child);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "state-dir-lock-"));
  dirs.push(dir);
  return dir;
}

async function createUser(iam: IAMClient, name: string): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: name }));
}

async function usersAfterRestart(dir: string): Promise<string[]> {
  const aws = await startTestAws({ stateDir: dir });
  try {
    const { Users } = await clientsFor(aws, aws.customer).iam.send(new ListUsersCommand({}));
    return Users!.map((user) => user.UserName!).sort();
  } finally {
    await aws.stop();
  }
}

describe("one server per state dir", () => {
  it("refuses a second server, has the flow and the notebooks' helper use the running one, and loses no acknowledged write", async () => {
    const dir = tempDir();
    const first = await serveInChild(dir);
    children.push(first);
    const { iam } = customerClients(dir, first.endpoint);
    await createUser(iam, "before-second-server");

    const second = runNode("lib/local-aws/main.ts", ["--state-dir", dir, "--port", "0"]);
    expect(await second.exit, second.output()).toBe(1);
    expect(second.output()).toContain(`is already served by the local AWS at ${first.endpoint} (pid ${first.pid})`);
    await createUser(iam, "after-second-server");

    const cleanup = runNode("lib/cli.ts", ["--state-dir", dir, "--step", "cleanup"]);
    expect(await cleanup.exit, cleanup.output()).toBe(0);
    expect(cleanup.output()).toContain(`local AWS at ${first.endpoint} (pid ${first.pid}, already serving this state dir: used and left running)`);
    await createUser(iam, "after-cleanup");

    const target = await startLocalTarget(dir, 5);
    expect(target.reused?.pid).toBe(first.pid);
    expect(target.target).toMatchObject({ kind: "local", endpoint: first.endpoint, credentialsFile: join(dir, "credentials"), iamDelaySeconds: 0 });
    await target.stop();
    expect(await ensureLocalAwsRunning(dir)).toMatchObject({ started: false, pid: first.pid, endpoint: first.endpoint });
    await createUser(iam, "after-reuse");

    await stopChild(first);
    expect(await usersAfterRestart(dir)).toEqual(["after-cleanup", "after-reuse", "after-second-server", "before-second-server", "customer_config"]);
  }, 120_000);

  it("refuses a second server in the same process too", async () => {
    const dir = tempDir();
    const aws = await startTestAws({ stateDir: dir });
    try {
      const refused = await startTestAws({ stateDir: dir }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StateDirInUseError);
      expect((refused as Error).message).toContain(`${aws.endpoint} (pid ${process.pid})`);
      expect(readServerFile(dir)).toMatchObject({ pid: process.pid, endpoint: aws.endpoint });
    } finally {
      await aws.stop();
    }
    expect(existsSync(serverFilePath(dir))).toBe(false);
  });

  it("takes over the lock of a server killed with SIGKILL, keeping what it acknowledged", async () => {
    const dir = tempDir();
    const killed = await serveInChild(dir);
    await createUser(customerClients(dir, killed.endpoint).iam, "acknowledged");
    killed.child.kill("SIGKILL");
    await killed.exit;
    expect(readServerFile(dir)?.pid).toBe(killed.pid);
    expect(await usersAfterRestart(dir)).toEqual(["acknowledged", "customer_config"]);
  }, 60_000);

  it.skipIf(!existsSync("/proc/self/stat"))("takes over a lock whose pid now names another process (started at another time)", async () => {
    const dir = tempDir();
    writeFileSync(serverFilePath(dir), JSON.stringify({ pid: process.pid, processStart: "1", endpoint: "http://127.0.0.1:9" }));
    const aws = await startTestAws({ stateDir: dir });
    try {
      expect(readServerFile(dir)).toMatchObject({ pid: process.pid, endpoint: aws.endpoint });
    } finally {
      await aws.stop();
    }
  });
});
