import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { allowS3, customerClients, serveInChild, stopChild, type NodeChild } from "./processes.ts";

const dirs: string[] = [];
const children: NodeChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await stopChild(child);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("--reset", () => {
  it("run as `--state-dir . --reset` in a project, removes only the server's own files", async () => {
    const project = mkdtempSync(join(tmpdir(), "state-dir-reset-"));
    dirs.push(project);
    writeFileSync(join(project, "notes.txt"), "mine");
    mkdirSync(join(project, "src"));
    writeFileSync(join(project, "src", "main.ts"), "export {};\n");

    const first = await serveInChild(".", [], project);
    children.push(first);
    const before = customerClients(project, first.endpoint);
    await before.iam.send(new CreateUserCommand({ UserName: "from-before" }));
    await allowS3(before.iam);
    await before.s3.send(new CreateBucketCommand({ Bucket: "from-before" }));
    await stopChild(first);

    const reset = await serveInChild(".", ["--reset"], project);
    children.push(reset);
    const after = customerClients(project, reset.endpoint);
    const { Users } = await after.iam.send(new ListUsersCommand({}));
    expect(Users!.map((user) => user.UserName)).toEqual(["customer_config"]);
    await allowS3(after.iam);
    const { Buckets } = await after.s3.send(new ListBucketsCommand({}));
    expect((Buckets ?? []).map((bucket) => bucket.Name)).not.toContain("from-before");
    expect(readFileSync(join(project, "notes.txt"), "utf8")).toBe("mine");
    expect(readFileSync(join(project, "src", "main.ts"), "utf8")).toBe("export {};\n");
    expect(readdirSync(project).sort()).toEqual(["accounts", "config", "credentials", "notes.txt", "s3", "server.json", "src"]);
  }, 60_000);
});
