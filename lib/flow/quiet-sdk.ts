/**
 * The AWS SDK warns once per process, at its first client, that its releases after early 2027 will
 * need Node 22 (NodeVersionSupportWarning, from @aws-sdk/core's emitWarningIfUnsupportedVersion).
 * The project runs on Node 20 (package.json's engines) with the SDK pinned, so the warning only adds
 * noise to every run; the SDK's own switch, announced with the warning
 * (https://github.com/aws/aws-sdk-js-v3/issues/7983), turns off that warning and no other. A setting
 * of it in the environment is left as it is.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
