import { randomBytes } from "node:crypto";
import { AttachUserPolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { residentBytes, spawnLocalAws } from "./server-process.ts";

const MB = 1024 * 1024;

/** Moves `bytes` through the server `rounds` times each way; MB/s and the server's peak resident memory while it ran. */
async function transfer(s3: S3Client, pid: number, bytes: number, rounds: number) {
  const body = randomBytes(bytes);
  let peak = residentBytes(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 10);
  try {
    let started = performance.now();
    for (let i = 0; i < rounds; i++) await s3.send(new PutObjectCommand({ Bucket: "bench-bucket", Key: `object-${bytes}`, Body: body }));
    const putSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    for (let i = 0; i < rounds; i++) {
      const object = await s3.send(new GetObjectCommand({ Bucket: "bench-bucket", Key: `object-${bytes}` }));
      let received = 0;
      for await (const chunk of object.Body as AsyncIterable<Uint8Array>) received += chunk.length;
      if (received !== bytes) throw new Error(`got ${received} bytes back, sent ${bytes}`);
    }
    const getSeconds = (performance.now() - started) / 1000;
    return { putMBps: (bytes * rounds) / MB / putSeconds, getMBps: (bytes * rounds) / MB / getSeconds, peakServerRssMB: peak / MB };
  } finally {
    clearInterval(sampler);
  }
}

/** PutObject/GetObject throughput for 1 MB and 100 MB objects, and the server's memory while moving 100 MB. */
export async function benchS3(): Promise<void> {
  const server = await spawnLocalAws();
  try {
    const common = { endpoint: server.endpoint, region: "us-east-1", credentials: server.credentials("customer_config") };
    await new IAMClient(common).send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "bench-bucket" }));
    const idleRssMB = residentBytes(server.pid) / MB;
    const small = await transfer(s3, server.pid, MB, 30);
    const large = await transfer(s3, server.pid, 100 * MB, 3);
    console.log("local S3 in its own process, objects on disk (SDK v3 client in this process)");
    console.log(`  1 MB objects:   PutObject ${small.putMBps.toFixed(0)} MB/s, GetObject ${small.getMBps.toFixed(0)} MB/s`);
    console.log(`  100 MB objects: PutObject ${large.putMBps.toFixed(0)} MB/s, GetObject ${large.getMBps.toFixed(0)} MB/s`);
    console.log(`  server resident memory: ${idleRssMB.toFixed(0)} MB idle, peak ${large.peakServerRssMB.toFixed(0)} MB while moving 100 MB objects`);
  } finally {
    server.stop();
  }
}
