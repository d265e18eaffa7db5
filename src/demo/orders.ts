// The demo shop's orders and their lines, made day by day and handed out in batches so that a
// large scale never has to sit in memory at once. Ids follow time, like a real sequence.

import { CATEGORIES } from './catalog.ts';
import type { Customers } from './customers.ts';
import type { Products } from './products.ts';
import { createRandom, type Random, searchCumulative } from './random.ts';
import type { OrderBatch, OrderItemRow, OrderStatus, Segment } from './rows.ts';
import { DAY_MS, momentOn, sampleTimeOfDay, type Timeline } from './timeline.ts';

type Weights = readonly (readonly [value: number, weight: number])[];

const LINES: Record<Segment, Weights> = {
  consumer: [
    [1, 45],
    [2, 28],
    [3, 15],
    [4, 8],
    [5, 4],
  ],
  business: [
    [1, 25],
    [2, 30],
    [3, 22],
    [4, 14],
    [5, 9],
  ],
};
const QUANTITY_SINGLE: Weights = [
  [1, 72],
  [2, 17],
  [3, 6],
  [4, 3],
  [5, 2],
];
const QUANTITY_BULK: Weights = [
  [1, 40],
  [2, 25],
  [3, 15],
  [4, 12],
  [5, 8],
];
const BULK_CATEGORIES = new Set(CATEGORIES.filter((c) => c.bulkBuying).map((c) => c.name));
const DISCOUNT_SHARE = 0.12;
const DISCOUNT_PERCENTS = [5, 10, 15, 20, 25, 30];
const CANCELLED_SHARE = 0.05;
const REFUNDED_SHARE = 0.035;
/** Orders younger than this many days may still be on their way. */
const SHIPPING_DAYS = 10;

export interface OrderSources {
  timeline: Timeline;
  customers: Customers;
  products: Products;
  /** Orders per day of the timeline. */
  dayCounts: Int32Array;
  seed: number;
}

export function* generateOrders(sources: OrderSources, batchSize: number): Generator<OrderBatch> {
  const { timeline, customers, products, dayCounts } = sources;
  const random = createRandom(sources.seed, 'orders');
  const signedUpAt = Float64Array.from(customers.rows, (c) => c.createdAt);
  let batch: OrderBatch = { orders: [], items: [] };
  let nextOrderId = 1;
  let nextItemId = 1;

  for (let day = 0; day < timeline.days; day++) {
    const times = Array.from({ length: dayCounts[day]! }, () => sampleTimeOfDay(random)).sort(
      (a, b) => a - b,
    );
    for (const timeOfDay of times) {
      const createdAt = momentOn(timeline, day, timeOfDay);
      const customerCount = countBefore(signedUpAt, createdAt);
      const customerIndex = searchCumulative(
        customers.cumulativeActivity,
        random.next() * customers.cumulativeActivity[customerCount - 1]!,
        customerCount,
      );
      const customer = customers.rows[customerIndex]!;
      const id = nextOrderId++;
      const lines = basket(products, createdAt, customer.segment, random);
      let totalCents = 0;
      for (const line of lines) {
        totalCents += line.priceCents * line.quantity;
        batch.items.push({ id: nextItemId++, orderId: id, ...line });
      }
      batch.orders.push({
        id,
        customerId: customer.id,
        status: statusAt(timeline.now - createdAt, random),
        totalCents,
        createdAt,
      });
      if (batch.orders.length >= batchSize) {
        yield batch;
        batch = { orders: [], items: [] };
      }
    }
  }
  if (batch.orders.length > 0) yield batch;
}

/** Distinct products on sale at `at`, each with a quantity and the unit price paid. */
function basket(
  products: Products,
  at: number,
  segment: Segment,
  random: Random,
): Omit<OrderItemRow, 'id' | 'orderId'>[] {
  const onSale = countBefore(products.launchedAt, at);
  const wanted = Math.min(pickValue(LINES[segment], random), onSale);
  const chosen = new Set<number>();
  // Popular products may be drawn twice; a few retries keep the basket size without looping forever.
  for (let attempt = 0; chosen.size < wanted && attempt < wanted * 4; attempt++) {
    const r = random.next() * products.cumulativePopularity[onSale - 1]!;
    chosen.add(searchCumulative(products.cumulativePopularity, r, onSale));
  }
  return [...chosen].map((index) => {
    const product = products.rows[index]!;
    const bulk = BULK_CATEGORIES.has(product.category) || segment === 'business';
    const quantity = pickValue(bulk ? QUANTITY_BULK : QUANTITY_SINGLE, random);
    const discount = random.chance(DISCOUNT_SHARE) ? random.pick(DISCOUNT_PERCENTS) : 0;
    const priceCents = Math.round((product.priceCents * (100 - discount)) / 100);
    return { productId: product.id, quantity, priceCents };
  });
}

/** Recent orders are often still shipping; cancellations happen any time, refunds after delivery. */
function statusAt(ageMs: number, random: Random): OrderStatus {
  const ageDays = ageMs / DAY_MS;
  const r = random.next();
  if (r < CANCELLED_SHARE) return 'cancelled';
  if (ageDays > 3 && r < CANCELLED_SHARE + REFUNDED_SHARE) return 'refunded';
  const shippingChance = ageDays < SHIPPING_DAYS ? 0.95 * (1 - ageDays / SHIPPING_DAYS) : 0;
  return random.chance(shippingChance) ? 'shipped' : 'completed';
}

function pickValue(weights: Weights, random: Random): number {
  return random.weighted(weights, ([, w]) => w)[0];
}

/** How many of the ascending `times` are before `t`. */
function countBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
