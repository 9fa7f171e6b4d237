import { benchAutoml } from "./automl.ts";
import { benchLocalAws } from "./local-aws.ts";

/** `npm run bench` runs every benchmark; `npm run bench -- automl` (or `local-aws`) picks one. */
const benches: Record<string, () => Promise<void>> = { "local-aws": benchLocalAws, automl: benchAutoml };
const picked = process.argv.slice(2);
const unknown = picked.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(benches).join(", ")}.`);
  process.exit(2);
}
for (const name of picked.length > 0 ? picked : Object.keys(benches)) await benches[name]!();
