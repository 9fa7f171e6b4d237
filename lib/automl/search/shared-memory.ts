import type { EncodedColumn } from "../encoding.ts";
import type { FitContext } from "./fit-task.ts";

/**
 * The fit context with its arrays in SharedArrayBuffers. Posted to the search's worker threads,
 * shared memory is shared rather than copied, so every worker reads the job's one copy of the
 * encoded data instead of holding its own.
 */
export function inSharedMemory(context: FitContext): FitContext {
  const columns = context.data.columns.map((column): EncodedColumn => (column.kind === "categorical" ? { ...column, codes: shared(column.codes) } : { ...column, values: shared(column.values) }));
  return { ...context, data: { rows: context.data.rows, columns }, y: shared(context.y), split: { ...context.split, foldOf: shared(context.split.foldOf) } };
}

function shared<T extends Float64Array | Int32Array>(array: T): T {
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}
