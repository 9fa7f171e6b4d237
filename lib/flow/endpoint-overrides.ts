/*
 * The environment variables through which the AWS SDK v3 sends a client somewhere other than AWS
 * (@smithy/core's getEndpointUrlConfig, as the SDKs and Tools Reference Guide's "Service-specific
 * endpoints" describes): `AWS_ENDPOINT_URL_<SERVICE>` (the service id upper-cased, spaces as `_`:
 * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`) for one service, else
 * `AWS_ENDPOINT_URL` for all; an empty value counts as unset, and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
 * (exactly `true`, as the SDK reads it) turns them all off. A client given an endpoint of its own ignores them.
 */

const ENDPOINT_VARIABLE = /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/;

/** The endpoint overrides the environment sets, as `NAME=value`; none when the SDK is told to ignore them. */
export function endpointOverrides(env: NodeJS.ProcessEnv): string[] {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true") return [];
  return Object.entries(env)
    .filter(([name, value]) => ENDPOINT_VARIABLE.test(name) && value)
    .map(([name, value]) => `${name}=${value}`)
    .sort();
}
