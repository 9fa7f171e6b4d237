import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, HeadObjectCommand, DeleteObjectCommand, DeleteBucketCommand, CopyObjectCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { startLocalAws } from "./lib/local-aws/index.ts";
const aws = await startLocalAws();
const s3 = new S3Client({ endpoint: aws.endpoint, region: "us-east-1", credentials: aws.credentials.customer_config!, forcePathStyle: true });
import { IAMClient, AttachUserPolicyCommand } from "@aws-sdk/client-iam";
await new IAMClient({ endpoint: aws.endpoint, region: "us-east-1", credentials: aws.credentials.customer_config! }).send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
try {
  console.log(await s3.send(new CreateBucketCommand({ Bucket: "sagemaker-us-east-1-111111111111" })).then(r => r.Location));
  const put = await s3.send(new PutObjectCommand({ Bucket: "sagemaker-us-east-1-111111111111", Key: "a/b c.txt", Body: "hello world" }));
  console.log("put", put.ETag, put.ChecksumCRC32);
  const got = await s3.send(new GetObjectCommand({ Bucket: "sagemaker-us-east-1-111111111111", Key: "a/b c.txt" }));
  console.log("get", await got.Body!.transformToString(), got.ContentType);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: "sagemaker-us-east-1-111111111111", Prefix: "a/" }));
  console.log("list", listed.Contents?.map(c => [c.Key, c.Size]));
  const head = await s3.send(new HeadObjectCommand({ Bucket: "sagemaker-us-east-1-111111111111", Key: "nope" })).catch(e => e.name + " " + e.$metadata.httpStatusCode);
  console.log("head", head);
  await s3.send(new CopyObjectCommand({ Bucket: "sagemaker-us-east-1-111111111111", Key: "copy", CopySource: "sagemaker-us-east-1-111111111111/a/b%20c.txt" }));
  const big = Buffer.alloc(12 * 1024 * 1024, 7);
  const up = new Upload({ client: s3, params: { Bucket: "sagemaker-us-east-1-111111111111", Key: "big", Body: big } });
  console.log("upload", (await up.done()).ETag);
  const bg = await s3.send(new GetObjectCommand({ Bucket: "sagemaker-us-east-1-111111111111", Key: "big", Range: "bytes=0-9" }));
  console.log("range", (await bg.Body!.transformToByteArray()).length, bg.ContentRange);
} catch (e: any) { console.log("ERR", e.name, e.message, e.$metadata); }
await aws.stop();
