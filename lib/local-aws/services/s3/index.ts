import type { RestRoute, ServiceDefinition } from "../../service.ts";
import { bucketOperations } from "./buckets.ts";
import { listOperations } from "./list.ts";
import { multipartOperations } from "./multipart.ts";
import { objectOperations } from "./objects.ts";
import { policyOperations } from "./policy.ts";
import { refuseS3Scope } from "./request.ts";

const routes: readonly RestRoute[] = [
  { operation: "ListBuckets", method: "GET", target: "service" },
  { operation: "CreateBucket", method: "PUT", target: "bucket" },
  { operation: "HeadBucket", method: "HEAD", target: "bucket" },
  { operation: "DeleteBucket", method: "DELETE", target: "bucket" },
  { operation: "ListObjects", method: "GET", target: "bucket" },
  { operation: "ListObjectsV2", method: "GET", target: "bucket", query: ["list-type"] },
  { operation: "GetBucketLocation", method: "GET", target: "bucket", query: ["location"] },
  { operation: "PutBucketPolicy", method: "PUT", target: "bucket", query: ["policy"] },
  { operation: "GetBucketPolicy", method: "GET", target: "bucket", query: ["policy"] },
  { operation: "DeleteBucketPolicy", method: "DELETE", target: "bucket", query: ["policy"] },
  { operation: "DeleteObjects", method: "POST", target: "bucket", query: ["delete"] },
  { operation: "ListMultipartUploads", method: "GET", target: "bucket", query: ["uploads"] },
  { operation: "PutObject", method: "PUT", target: "object" },
  { operation: "CopyObject", method: "PUT", target: "object", headers: ["x-amz-copy-source"] },
  { operation: "UploadPart", method: "PUT", target: "object", query: ["partNumber", "uploadId"] },
  { operation: "GetObject", method: "GET", target: "object" },
  { operation: "HeadObject", method: "HEAD", target: "object" },
  { operation: "DeleteObject", method: "DELETE", target: "object" },
  { operation: "CreateMultipartUpload", method: "POST", target: "object", query: ["uploads"] },
  { operation: "CompleteMultipartUpload", method: "POST", target: "object", query: ["uploadId"] },
  { operation: "AbortMultipartUpload", method: "DELETE", target: "object", query: ["uploadId"] },
  { operation: "ListParts", method: "GET", target: "object", query: ["uploadId"] },
];

export const s3Service: ServiceDefinition = {
  signingName: "s3",
  protocol: "restXml",
  streamingBody: true,
  refuseScope: refuseS3Scope,
  routes,
  operations: { ...bucketOperations, ...policyOperations, ...objectOperations, ...listOperations, ...multipartOperations },
};
