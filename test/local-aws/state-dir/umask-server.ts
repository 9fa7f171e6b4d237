// Test helper process: under umask 000, starts the local AWS on a new state dir (argv[2]), makes it
// write every kind of file it keeps, and prints the mode of everything under the dir as JSON.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CreateUserCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from "@aws-sdk/client-s3";
import { startLocalAws } from "../../../lib/local-aws/index.ts";
import { allowS3, customerClients } from "./processes.ts";

process.umask(0);
const stateDir = process.argv[2]!;
const aws = await startLocalAws({ stateDir });
const { iam, s3 } = customerClients(stateDir, aws.endpoint);
await iam.send(new CreateUserCommand({ UserName: "someone" }));
await allowS3(iam);
await s3.send(new CreateBucketCommand({ Bucket: "modes" }));
await s3.send(new PutObjectCommand({ Bucket: "modes", Key: "object", Body: "bytes" }));
const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "modes", Key: "upload" }));
await s3.send(new UploadPartCommand({ Bucket: "modes", Key: "upload", UploadId, PartNumber: 1, Body: "part" }));

const modes: Record<string, string> = { ".": (statSync(stateDir).mode & 0o777).toString(8) };
for (const entry of readdirSync(stateDir, { withFileTypes: true, recursive: true })) {
  const path = join(entry.parentPath, entry.name);
  modes[`${relative(stateDir, path)}${entry.isDirectory() ? "/" : ""}`] = (statSync(path).mode & 0o777).toString(8);
}
process.stdout.write(`${JSON.stringify(modes)}\n`);
await aws.stop();
