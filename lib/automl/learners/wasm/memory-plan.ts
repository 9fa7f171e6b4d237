/** Lays out regions of one WebAssembly memory, each 16-byte aligned (for SIMD loads), then makes a memory that holds them. */
export class MemoryPlan {
  private end = 0;

  /** The byte address of a new region of `bytes`. */
  reserve(bytes: number): number {
    const at = this.end;
    this.end += Math.ceil(bytes / 16) * 16;
    return at;
  }

  create(): WebAssembly.Memory {
    return new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(this.end / 65536)) });
  }
}
