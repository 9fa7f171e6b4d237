import { runLocalAwsCliOrExit } from "./cli.ts";

runLocalAwsCliOrExit(process.argv.slice(2));
