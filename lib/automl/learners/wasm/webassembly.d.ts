/**
 * The part of the WebAssembly JavaScript API the kernels use. Node has it as a global, but
 * neither TypeScript's ES libraries nor @types/node 20 declare it (it lives in lib.dom).
 */
declare namespace WebAssembly {
  function validate(bytes: Uint8Array): boolean;
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
}
