// Starts the TypeScript worker through tsx when the engine runs from its .ts sources (tsx,
// vitest): a worker thread does not inherit the parent's loader. The compiled build starts
// worker.js directly.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
