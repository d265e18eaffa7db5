// The demo shop's catalogue. Most products existed before the first order; the rest launched
// along the way (ids follow launch order), so an order only ever holds products already on sale.

import { CATEGORIES, type Category } from './catalog.ts';
import { createRandom, type Random } from './random.ts';
import type { ProductRow } from './rows.ts';
import { DAY_MS, type Timeline } from './timeline.ts';

const LAUNCHED_BEFORE_SHARE = 0.75;

export interface Products {
  rows: ProductRow[];
  /** Launch times in id order, to find what was on sale at a moment. */
  launchedAt: Float64Array;
  /** Running sum of popularity in id order, for filling baskets. */
  cumulativePopularity: Float64Array;
}

export function generateProducts(timeline: Timeline, count: number, seed: number): Products {
  const random = createRandom(seed, 'products');
  const totalWeight = CATEGORIES.reduce((s, c) => s + c.weight, 0);
  const drafts = CATEGORIES.flatMap((category) => {
    const quota = Math.max(1, Math.round((count * category.weight) / totalWeight));
    return pickCombinations(category, quota, random).map(([brand, item, variant]) => {
      const [itemName, basePrice] = category.items[item]!;
      const [variantLabel, factor] = category.variants[variant]!;
      const priceCents = listPriceCents(basePrice * factor * (0.85 + 0.4 * random.next()));
      const launchedBefore = random.chance(LAUNCHED_BEFORE_SHARE);
      const createdAt = launchedBefore
        ? timeline.start - Math.floor(random.next() * 3 * 365 * DAY_MS) - 1
        : timeline.start + Math.floor(random.next() * (timeline.today - 30 * DAY_MS - timeline.start));
      // Cheaper things sell more often; a few products are hits.
      const popularity =
        (category.popularity * (40 / Math.max(priceCents / 100, 4)) ** 0.6) /
        Math.sqrt(1 - random.next() * 0.99);
      return {
        name: productName(category, category.brands[brand]!, itemName, variantLabel),
        category: category.name,
        priceCents,
        createdAt,
        popularity,
      };
    });
  });
  drafts.sort((a, b) => a.createdAt - b.createdAt);
  // The first orders need something to buy.
  if (drafts[0] && drafts[0].createdAt >= timeline.start) drafts[0].createdAt = timeline.start - DAY_MS;

  const launchedAt = new Float64Array(drafts.length);
  const cumulativePopularity = new Float64Array(drafts.length);
  let sum = 0;
  const rows = drafts.map((d, i): ProductRow => {
    launchedAt[i] = d.createdAt;
    sum += d.popularity;
    cumulativePopularity[i] = sum;
    return {
      id: i + 1,
      name: d.name,
      category: d.category,
      priceCents: d.priceCents,
      createdAt: d.createdAt,
    };
  });
  return { rows, launchedAt, cumulativePopularity };
}

/** `quota` distinct (brand, item, variant) index triples, in random order. */
function pickCombinations(category: Category, quota: number, random: Random): [number, number, number][] {
  const b = category.brands.length;
  const i = category.items.length;
  const v = category.variants.length;
  const all = Int32Array.from({ length: b * i * v }, (_, k) => k);
  const n = Math.min(quota, all.length);
  // A partial Fisher–Yates shuffle: only the first n places are needed.
  for (let k = 0; k < n; k++) {
    const j = k + Math.floor(random.next() * (all.length - k));
    [all[k], all[j]] = [all[j]!, all[k]!];
  }
  return Array.from(all.subarray(0, n), (c) => [Math.floor(c / (i * v)), Math.floor(c / v) % i, c % v]);
}

function productName(category: Category, brand: string, item: string, variant: string): string {
  if (!variant) return `${brand} ${item}`;
  return category.variantInBrackets ? `${brand} ${item} (${variant})` : `${brand} ${item} ${variant}`;
}

/** Shop prices end in .99 (or .49 under ten dollars). */
function listPriceCents(dollars: number): number {
  if (dollars >= 10) return Math.round(dollars) * 100 - 1;
  return Math.max(1, Math.round(dollars * 2)) * 50 - 1;
}
