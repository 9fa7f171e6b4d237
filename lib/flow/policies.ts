/** The flow's IAM and bucket policy documents, as pure functions of the names they mention. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<Record<string, unknown>>;
}

const document = (...Statement: Array<Record<string, unknown>>): PolicyDocument => ({ Version: "2012-10-17", Statement });
const bucketArns = (bucket: string) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];

const trustsSaas = (saasAccountId: string, externalId: string) => ({
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${saasAccountId}:root` },
  Action: "sts:AssumeRole",
  Condition: { StringEquals: { "sts:ExternalId": externalId } },
});
const trustsSageMaker = { Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" };

/** The blog's role trust: the SaaS account (only with the ExternalId) and SageMaker, which runs the job as the role. */
export function trustPolicy(saasAccountId: string, externalId: string): PolicyDocument {
  return document(trustsSaas(saasAccountId, externalId), trustsSageMaker);
}

/** Least-privilege variant: the cross-account role trusts only the SaaS account... */
export function crossAccountTrustPolicy(saasAccountId: string, externalId: string): PolicyDocument {
  return document(trustsSaas(saasAccountId, externalId));
}

/** ...and a separate execution role trusts only SageMaker. */
export function executionTrustPolicy(): PolicyDocument {
  return document(trustsSageMaker);
}

/**
 * Least-privilege variant: what the cross-account role itself needs, instead of
 * AmazonSageMakerFullAccess: drive Autopilot, hosting and batch transform, pass only the execution
 * role, use the default bucket, and read the SaaS bucket for the copy path. The transform job
 * actions are limited to `transformJobs` (the account's transform-job ARNs in the region), as AWS
 * scopes them in Step Functions' policy for CreateTransformJob
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html); the job needs no
 * iam:PassRole, its model carries the execution role.
 */
export function crossAccountRolePolicy(executionRoleArn: string, customerBucket: string, saasBucket: string, transformJobs: string): PolicyDocument {
  return document(
    {
      Effect: "Allow",
      Action: [
        "sagemaker:CreateAutoMLJob",
        "sagemaker:DescribeAutoMLJob",
        // Cleanup asks V2, which also describes V1 jobs (and is what moto implements).
        "sagemaker:DescribeAutoMLJobV2",
        "sagemaker:ListCandidatesForAutoMLJob",
        // The leaderboard's algorithm, hyperparameters and fit time, from each candidate's training job.
        "sagemaker:DescribeTrainingJob",
        "sagemaker:StopAutoMLJob",
        "sagemaker:CreateModel",
        "sagemaker:DescribeModel",
        "sagemaker:DeleteModel",
        "sagemaker:CreateEndpointConfig",
        "sagemaker:DescribeEndpointConfig",
        "sagemaker:DeleteEndpointConfig",
        "sagemaker:CreateEndpoint",
        "sagemaker:DescribeEndpoint",
        "sagemaker:DeleteEndpoint",
        "sagemaker:InvokeEndpoint",
      ],
      Resource: "*",
    },
    { Effect: "Allow", Action: ["sagemaker:CreateTransformJob", "sagemaker:DescribeTransformJob", "sagemaker:StopTransformJob"], Resource: transformJobs },
    { Effect: "Allow", Action: "iam:PassRole", Resource: executionRoleArn, Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } } },
    { Effect: "Allow", Action: ["s3:CreateBucket", "s3:ListBucket", "s3:DeleteBucket"], Resource: `arn:aws:s3:::${customerBucket}` },
    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${customerBucket}/*` },
    { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: bucketArns(saasBucket) },
  );
}

/**
 * `customer_s3`: the role reads the SaaS bucket (copy and direct paths; the bucket policy on the
 * other side decides when) and may delete the default bucket at cleanup, which
 * AmazonSageMakerFullAccess does not allow.
 */
export function customerS3Policy(saasBucket: string, customerBucket: string): PolicyDocument {
  return document(
    { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: bucketArns(saasBucket) },
    { Effect: "Allow", Action: ["s3:DeleteBucket"], Resource: `arn:aws:s3:::${customerBucket}` },
  );
}

/** `saas_assume_customer_role`: the group's members may assume the customer's role. */
export function assumeRolePolicy(customerRoleArn: string): PolicyDocument {
  return document({ Effect: "Allow", Action: "sts:AssumeRole", Resource: customerRoleArn });
}

/** `saas_s3`: read the public sample data set; manage the SaaS bucket, its objects and its policy. */
export function saasS3Policy(saasBucket: string): PolicyDocument {
  return document(
    { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::sagemaker-sample-files/*" },
    {
      Effect: "Allow",
      Action: ["s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"],
      Resource: `arn:aws:s3:::${saasBucket}`,
    },
    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${saasBucket}/*` },
  );
}

/** The SaaS bucket's temporary grant to the customer's role: GetObject for a copy, plus ListBucket for a direct reference. */
export function bucketGrantPolicy(saasBucket: string, customerRoleArn: string, keyPrefix: string, list: boolean): PolicyDocument {
  const statements: Array<Record<string, unknown>> = [
    { Effect: "Allow", Principal: { AWS: customerRoleArn }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${saasBucket}/${keyPrefix}*` },
  ];
  if (list) statements.push({ Effect: "Allow", Principal: { AWS: customerRoleArn }, Action: "s3:ListBucket", Resource: `arn:aws:s3:::${saasBucket}` });
  return document(...statements);
}
