import { benchLocalAws } from "./local-aws.ts";

await benchLocalAws();
