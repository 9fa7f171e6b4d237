import { benchAutoml } from "./automl.ts";
import { benchFlow } from "./flow.ts";
import { benchLocalAws } from "./local-aws.ts";
import { benchS3 } from "./s3.ts";
import { benchSageMaker } from "./sagemaker.ts";

/** `npm run bench` runs every benchmark; `npm run bench -- automl` (or `local-aws`, `s3`, `sagemaker`, `flow`) picks some. */
const suites: Record<string, () => Promise<void>> = { "local-aws": benchLocalAws, s3: benchS3, automl: benchAutoml, sagemaker: benchSageMaker, flow: benchFlow };
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in suites));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(suites).join(", ")}`);
  process.exit(2);
}
for (const name of chosen.length ? chosen : Object.keys(suites)) await suites[name]!();
