// Thinning long series for a chart image: a 1600-pixel-wide PNG cannot show more points than it
// has pixels, and Chart.js slows down with tens of thousands of them.

/** Indexes to keep so that at most `max` points remain: per bucket, its lowest and highest point
 *  (peaks and dips survive), plus the first and the last. Sorted ascending. */
export function minMaxIndexes(values: number[], max: number): number[] {
  const n = values.length;
  if (n <= max) return values.map((_, i) => i);
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const keep = new Set<number>([0, n - 1]);
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * (n - 2)) / buckets);
    const end = 1 + Math.floor(((b + 1) * (n - 2)) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    if (start < end) {
      keep.add(lo);
      keep.add(hi);
    }
  }
  return [...keep].sort((a, b) => a - b);
}

/** Every k-th index so that at most `max` remain: an even sample for scatter plots. */
export function strideIndexes(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = n / max;
  return Array.from({ length: max }, (_, i) => Math.floor(i * step));
}
