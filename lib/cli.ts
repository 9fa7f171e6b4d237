import { runLocalAwsCliOrExit } from "./local-aws/cli.ts";

// `npm start`: the project's main job. Until lib/flow runs the blog's cross-account flow end to
// end, it starts the local two-account AWS in the foreground with its state in ./.local-aws.
runLocalAwsCliOrExit(process.argv.slice(2));
