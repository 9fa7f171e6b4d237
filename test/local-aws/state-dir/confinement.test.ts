import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { startTestAws, type TestAws } from "../../helpers/local-aws.ts";
import { allowS3, customerClients } from "./processes.ts";

const BUCKET = "planted";
const dirs: string[] = [];
const running: TestAws[] = [];
afterEach(async () => {
  for (const aws of running.splice(0)) await aws.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(stateDir: string) {
  const aws = await startTestAws({ stateDir });
  running.push(aws);
  const clients = customerClients(stateDir, aws.endpoint);
  await allowS3(clients.iam);
  return { aws, s3: clients.s3 };
}

/** Rewrites the persisted record of an object, as someone editing the state dir could. */
function plantRecord(stateDir: string, key: string, change: Record<string, unknown>): void {
  const file = join(stateDir, "s3", BUCKET, "objects", `${createHash("sha256").update(key).digest("hex")}.json`);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), ...change }));
}

describe("what the state dir holds is not trusted blindly", () => {
  it("refuses object records and uploads that name files outside the state dir, and blobs that are symbolic links", async () => {
    const root = mkdtempSync(join(tmpdir(), "state-dir-confinement-"));
    dirs.push(root);
    const stateDir = join(root, "state");
    const outside = join(root, "outside.txt");
    writeFileSync(outside, "not the server's");
    const victim = join(root, "victim");
    mkdirSync(victim);
    writeFileSync(join(victim, "file"), "keep me");

    const before = await start(stateDir);
    await before.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of ["relative", "absolute", "symlink"]) await before.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "the object" }));
    const { UploadId } = await before.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "upload" }));
    await before.aws.stop();
    running.splice(0);

    // From <state>/s3/planted/blobs, four levels up is the folder holding the state dir.
    plantRecord(stateDir, "relative", { blob: "../../../../outside.txt" });
    plantRecord(stateDir, "absolute", { blob: "/etc/hostname" });
    const symlinked = JSON.parse(readFileSync(join(stateDir, "s3", BUCKET, "objects", `${createHash("sha256").update("symlink").digest("hex")}.json`), "utf8")) as { blob: string };
    const blobFile = join(stateDir, "s3", BUCKET, "blobs", symlinked.blob);
    rmSync(blobFile);
    symlinkSync(outside, blobFile);
    const uploadFile = join(stateDir, "s3", BUCKET, "uploads", UploadId!, "upload.json");
    writeFileSync(uploadFile, JSON.stringify({ ...JSON.parse(readFileSync(uploadFile, "utf8")), uploadId: "../../../../victim" }));

    const { s3 } = await start(stateDir);
    const outcome = (sent: Promise<unknown>) => sent.then(() => "done", (error: Error) => error.name);
    for (const key of ["relative", "absolute", "symlink"]) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).then(
        async (output) => `served: ${await output.Body!.transformToString()}`,
        (error: Error) => error.name,
      );
      expect(answer, key).toBe("InternalFailure");
    }
    expect(await outcome(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "relative" })))).toBe("InternalFailure");
    expect(await outcome(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "absolute" })))).toBe("InternalFailure");
    expect(await outcome(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "symlink" })))).toBe("done");
    expect(await outcome(s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: "upload", UploadId })))).toBe("InternalFailure");

    expect(readFileSync(outside, "utf8")).toBe("not the server's");
    expect(readFileSync(join(victim, "file"), "utf8")).toBe("keep me");
  });
});
