// Starts the TypeScript job worker through tsx when the server runs from its .ts sources: a
// worker thread does not inherit the parent's loader.
import { register } from "tsx/esm/api";

register();
await import("./job-worker.ts");
