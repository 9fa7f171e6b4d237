import { AwsError } from "../../errors.ts";
import type { Operation, OperationContext } from "../../service.ts";
import { objectStore, type ObjectRecord } from "./object-store.ts";
import { authorizeS3, existingBucket, s3Request, type S3Request } from "./request.ts";

const MAX_KEYS = 1000;

interface Listing {
  contents: ObjectRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned, to continue after. */
  last?: string;
}

/** Keys after `after` under `prefix`, rolled up at `delimiter`, at most `maxKeys` entries. */
function listKeys(records: Iterable<ObjectRecord>, prefix: string, delimiter: string, after: string, maxKeys: number): Listing {
  const sorted = [...records].filter((r) => r.key.startsWith(prefix) && r.key > after).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const listing: Listing = { contents: [], commonPrefixes: [], truncated: false };
  for (const record of sorted) {
    const rest = record.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const rolledUp = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : undefined;
    if (rolledUp !== undefined && rolledUp === listing.commonPrefixes.at(-1)) continue;
    if (listing.contents.length + listing.commonPrefixes.length >= maxKeys) {
      listing.truncated = true;
      break;
    }
    if (rolledUp !== undefined) listing.commonPrefixes.push(rolledUp);
    else listing.contents.push(record);
    listing.last = rolledUp ?? record.key;
  }
  return listing;
}

function listParameters(request: S3Request) {
  const prefix = request.query.prefix ?? "";
  const delimiter = request.query.delimiter ?? "";
  const maxKeysText = request.query["max-keys"] ?? String(MAX_KEYS);
  const maxKeys = Number(maxKeysText);
  if (!/^\d+$/.test(maxKeysText)) throw new AwsError("InvalidArgument", "Provided max-keys not an integer or within integer range", 400);
  const encodingType = request.query["encoding-type"];
  if (encodingType !== undefined && encodingType !== "url") throw new AwsError("InvalidArgument", "Invalid Encoding Method specified in Request", 400);
  return { prefix, delimiter, maxKeys: Math.min(maxKeys, MAX_KEYS), encode: encodingType === "url" ? encodeKey : (key: string) => key, encodingType };
}

/** encoding-type=url: keys as in a URL, with spaces as "+" the way S3 writes them. */
const encodeKey = (key: string) => encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+");

function listingContent(listing: Listing, encode: (key: string) => string) {
  return {
    Contents: listing.contents.map((record) => ({
      Key: encode(record.key),
      LastModified: new Date(record.lastModified),
      ETag: record.etag,
      Size: record.size,
      StorageClass: "STANDARD",
      ...(record.checksum ? { ChecksumAlgorithm: record.checksum.algorithm } : {}),
    })),
    CommonPrefixes: listing.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
  };
}

/** The shared part of both list versions: the bucket, the parameters, the authorization and the listing after `after`. */
function runListing(ctx: OperationContext, request: S3Request, after: string) {
  const bucket = existingBucket(ctx, request);
  const parameters = listParameters(request);
  const { prefix, delimiter, maxKeys } = parameters;
  authorizeS3(ctx, "s3:ListBucket", bucket, undefined, { "s3:prefix": prefix, "s3:delimiter": delimiter || undefined, "s3:max-keys": String(maxKeys) });
  const listing = listKeys(objectStore(ctx.store).objects(bucket.name).values(), prefix, delimiter, after, maxKeys);
  const { encode, encodingType } = parameters;
  return {
    bucket,
    listing,
    encode,
    header: {
      Name: bucket.name,
      Prefix: encode(prefix),
      ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
      MaxKeys: maxKeys,
      ...(encodingType ? { EncodingType: encodingType } : {}),
    },
  };
}

const listObjectsV2: Operation = (ctx, input) => {
  const request = s3Request(input);
  const token = request.query["continuation-token"];
  const startAfter = request.query["start-after"] ?? "";
  const { listing, encode, header } = runListing(ctx, request, token !== undefined ? decodeToken(token) : startAfter);
  return {
    xml: {
      root: "ListBucketResult",
      content: {
        ...header,
        KeyCount: listing.contents.length + listing.commonPrefixes.length,
        IsTruncated: listing.truncated,
        ...(token !== undefined ? { ContinuationToken: token } : {}),
        ...(listing.truncated ? { NextContinuationToken: Buffer.from(listing.last!, "utf8").toString("base64url") } : {}),
        ...(request.query["start-after"] !== undefined ? { StartAfter: encode(startAfter) } : {}),
        ...listingContent(listing, encode),
      },
    },
  };
};

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new AwsError("InvalidArgument", "The continuation token provided is incorrect", 400);
  return Buffer.from(token, "base64url").toString("utf8");
}

const listObjects: Operation = (ctx, input) => {
  const request = s3Request(input);
  const marker = request.query.marker ?? "";
  const { listing, encode, header } = runListing(ctx, request, marker);
  return {
    xml: {
      root: "ListBucketResult",
      content: {
        ...header,
        Marker: encode(marker),
        IsTruncated: listing.truncated,
        ...(listing.truncated && request.query.delimiter ? { NextMarker: encode(listing.last!) } : {}),
        ...listingContent(listing, encode),
      },
    },
  };
};

export const listOperations = { ListObjectsV2: listObjectsV2, ListObjects: listObjects };
