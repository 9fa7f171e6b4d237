import { partition } from "@aws-sdk/core/client";

/** The partition of this local AWS's ARNs (`arn:aws:...`). */
const PARTITION = "aws";
/** AWS region codes (`us-east-1`); the partition data also lists endpoint pseudo-regions such as `aws-global`, which sign as no region. */
const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const known = new Set<string>();

/**
 * Whether `region` is a region of the aws partition, by the partitions data the AWS SDK resolves
 * endpoints with (`partition()` of `@aws-sdk/core`): it answers the region's own entry, with its
 * description, only for regions the partition lists, and a bare partition for a name that merely
 * looks like one (`us-fake-1`) or for nothing it knows. Another partition's regions (`cn-north-1`,
 * `us-gov-west-1`) are not this partition's. The list of AWS regions:
 * https://docs.aws.amazon.com/general/latest/gr/rande.html#regional-endpoints
 */
export function isAwsRegion(region: string): boolean {
  if (known.has(region)) return true;
  const found = partition(region) as { name: string; description?: string };
  const listed = found.name === PARTITION && found.description !== undefined && REGION_CODE.test(region);
  // Only regions found are remembered, so a caller naming made-up regions cannot grow the set.
  if (listed) known.add(region);
  return listed;
}
