/**
 * Just enough of the WebAssembly binary format to write small numeric kernels from TypeScript:
 * value types, the instructions the kernels use (SIMD's f64x2 among them) and a module of
 * exported functions over an imported memory. Instructions are byte arrays, so a function body
 * reads as nested calls. See the WebAssembly core specification, chapter 5 (binary format).
 */

export type Code = number[];

export const i32 = 0x7f;
export const f64 = 0x7c;
export const v128 = 0x7b;
export type ValueType = typeof i32 | typeof f64 | typeof v128;

/** Unsigned LEB128. */
function u32(value: number): Code {
  const bytes: Code = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128. */
function s32(value: number): Code {
  const bytes: Code = [];
  let rest = value | 0;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

const memoryAccess = (opcode: Code, alignLog2: number) => (offset = 0): Code => [...opcode, alignLog2, ...u32(offset)];
const simd = (opcode: number): Code => [0xfd, ...u32(opcode)];
const EMPTY_BLOCK = 0x40;
const END = 0x0b;

export const local = {
  get: (index: number): Code => [0x20, ...u32(index)],
  set: (index: number): Code => [0x21, ...u32(index)],
  tee: (index: number): Code => [0x22, ...u32(index)],
};

export const op = {
  i32Const: (value: number): Code => [0x41, ...s32(value)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32GtS: [0x4a],
  i32GeS: [0x4e],
  i32Ne: [0x47],
  i32Eqz: [0x45],
  i32Shl: [0x74],
  i32Load: memoryAccess([0x28], 2),
  i32Store: memoryAccess([0x36], 2),
  f32Load: memoryAccess([0x2a], 2),
  f64Load: memoryAccess([0x2b], 3),
  f64Store: memoryAccess([0x39], 3),
  f64PromoteF32: [0xbb],
  f64Add: [0xa0],
  f64Ne: [0x62],
  f64Le: [0x65],
  v128Load: memoryAccess(simd(0x00), 4),
  v128Store: memoryAccess(simd(0x0b), 4),
  f64x2Splat: simd(0x14),
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
};

export const F64_ZERO: Code = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];

/** The i32 sum of the terms (each leaves one i32). */
export const add = (...terms: Code[]): Code => [...terms[0]!, ...terms.slice(1).flatMap((term) => [...term, ...op.i32Add])];
export const times = (code: Code, factor: number): Code => [...code, ...op.i32Const(factor), ...op.i32Mul];
/** local[index] += by */
export const increment = (index: number, by: number): Code => [...local.get(index), ...op.i32Const(by), ...op.i32Add, ...local.set(index)];
/** local[a] >= local[b], signed */
export const atLeast = (a: number, b: number): Code => [...local.get(a), ...local.get(b), ...op.i32GeS];

/** `while (!exitWhen) body`: exitWhen leaves an i32 on the stack; the loop ends when it is non-zero. */
export function whileNot(exitWhen: Code, body: Code): Code {
  return [0x02, EMPTY_BLOCK, 0x03, EMPTY_BLOCK, ...exitWhen, 0x0d, 1, ...body, 0x0c, 0, END, END];
}

export interface WasmFunction {
  name: string;
  params: ValueType[];
  results: ValueType[];
  /** Locals after the parameters, in order (their indices follow the parameters'). */
  locals: ValueType[];
  body: Code;
}

function vector(items: Code[]): Code {
  return [...u32(items.length), ...items.flat()];
}

function name(text: string): Code {
  return vector([...Buffer.from(text, "utf8")].map((byte) => [byte]));
}

function section(id: number, content: Code): Code {
  return [id, ...u32(content.length), ...content];
}

/** A module that imports its memory as env.memory (at least `minimumPages` of 64 KiB) and exports each function by name. */
export function encodeModule(functions: readonly WasmFunction[], minimumPages: number): Uint8Array {
  const types = functions.map((fn) => [0x60, ...vector(fn.params.map((type) => [type])), ...vector(fn.results.map((type) => [type]))]);
  const bodies = functions.map((fn) => {
    const content = [...vector(fn.locals.map((type) => [1, type])), ...fn.body, END];
    return [...u32(content.length), ...content];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, ...u32(minimumPages)]])),
    ...section(3, vector(functions.map((_, index) => u32(index)))),
    ...section(7, vector(functions.map((fn, index) => [...name(fn.name), 0x00, ...u32(index)]))),
    ...section(10, vector(bodies)),
  ]);
}
