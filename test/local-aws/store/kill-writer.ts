// Test helper process: keeps growing a persisted counter until it is killed.
import { Store } from "../../../lib/local-aws/store/store.ts";

const table = new Store(process.argv[2]).table("counter", () => ({ count: 0, history: [] as number[] }));
let announced = false;
for (;;) {
  table.update("111111111111", (state) => {
    state.count += 1;
    state.history.push(state.count);
  });
  if (!announced) {
    process.stdout.write("writing\n");
    announced = true;
  }
}
