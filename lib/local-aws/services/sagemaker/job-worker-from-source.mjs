// Starts a TypeScript worker through tsx when the server runs from its .ts sources: a worker
// thread does not inherit the parent's loader. The module is the one its argv names (worker-script.ts).
import { register } from "tsx/esm/api";

register();
await import(process.argv[2] ?? "./job-worker.ts");
