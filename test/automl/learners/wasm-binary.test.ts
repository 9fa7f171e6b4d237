import { describe, expect, it } from "vitest";
import { atLeast, encodeModule, i32, increment, local, op, whileNot } from "../../../lib/automl/learners/wasm/binary.ts";

describe("WebAssembly binary writer", () => {
  it("encodes integer immediates as LEB128, signed for constants and unsigned for indices", () => {
    const constants: [number, number[]][] = [
      [0, [0x00]],
      [63, [0x3f]],
      [64, [0xc0, 0x00]],
      [-1, [0x7f]],
      [-64, [0x40]],
      [-65, [0xbf, 0x7f]],
      [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
      [-(2 ** 31), [0x80, 0x80, 0x80, 0x80, 0x78]],
    ];
    for (const [value, bytes] of constants) expect({ value, code: op.i32Const(value) }).toEqual({ value, code: [0x41, ...bytes] });
    expect(local.get(127)).toEqual([0x20, 0x7f]);
    expect(local.get(128)).toEqual([0x20, 0x80, 0x01]);
    expect(op.f64Load(300)).toEqual([0x2b, 3, 0xac, 0x02]);
  });

  it("writes a module the engine accepts, whose loops and memory access run as written", () => {
    // sumBelow(n) = 0 + 1 + ... + (n - 1), counting in a loop; store(at, value) writes an i32.
    const [n, i, sum] = [0, 1, 2];
    const bytes = encodeModule(
      [
        { name: "sumBelow", params: [i32], results: [i32], locals: [i32, i32], body: [...whileNot(atLeast(i, n), [...local.get(sum), ...local.get(i), ...op.i32Add, ...local.set(sum), ...increment(i, 1)]), ...local.get(sum)] },
        { name: "store", params: [i32, i32], results: [], locals: [], body: [...local.get(0), ...local.get(1), ...op.i32Store(4)] },
      ],
      1,
    );
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as { sumBelow(n: number): number; store(at: number, value: number): void };
    expect([0, 1, 10, 1000].map((count) => exports.sumBelow(count))).toEqual([0, 0, 45, 499500]);
    exports.store(8, -123);
    expect(new Int32Array(memory.buffer)[3]).toBe(-123);
  });
});
