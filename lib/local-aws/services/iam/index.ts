/** The IAM service over awsQuery: users, groups, roles, managed policies and access keys. */
import type { ServiceDefinition } from "../../service.ts";
import { accessKeyOperations } from "./access-keys.ts";
import { groupOperations } from "./groups.ts";
import { policyOperations } from "./policies.ts";
import { roleOperations } from "./roles.ts";
import { userOperations } from "./users.ts";

export const iamService: ServiceDefinition = {
  signingName: "iam",
  protocol: "awsQuery",
  apiVersion: "2010-05-08",
  // IAM's one endpoint, iam.amazonaws.com, takes signatures for us-east-1 only (botocore's endpoints data: credentialScope us-east-1).
  globalRegion: "us-east-1",
  xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
  operations: {
    ...userOperations,
    ...groupOperations,
    ...roleOperations,
    ...policyOperations,
    ...accessKeyOperations,
  },
};
