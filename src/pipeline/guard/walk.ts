// A parsed statement is a tree of plain objects and arrays; its walks share one loop.

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/** Depth-first over a parse tree: arrays are looked through, every object node is visited with
 *  the state its parent handed down, and `visit` pushes the children it wants seen (the last
 *  pushed is seen first). */
export function walkNodes<S>(
  root: unknown,
  state: S,
  visit: (node: Obj, state: S, push: (child: unknown, state: S) => void) => void,
): void {
  const stack: { value: unknown; state: S }[] = [{ value: root, state }];
  const push = (value: unknown, state: S) => {
    stack.push({ value, state });
  };
  while (stack.length > 0) {
    const { value, state } = stack.pop()!;
    if (Array.isArray(value)) {
      for (const item of value) push(item, state);
      continue;
    }
    if (isObj(value)) visit(value, state, push);
  }
}
