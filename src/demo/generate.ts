// The demo shop (docs/architecture.md#the-demo-shop) as plain rows: the same (seed, scale, now)
// always gives the same shop. Customers and products are made up front; orders come in batches on
// demand.

import { ConfigError } from '../errors.ts';
import { generateCustomers } from './customers.ts';
import { generateOrders } from './orders.ts';
import { generateProducts } from './products.ts';
import type { CustomerRow, OrderBatch, ProductRow } from './rows.ts';
import { countsPerDay, timelineFor } from './timeline.ts';

export const DEFAULT_DEMO_SEED = 7;
/** Bumped whenever the generator's output changes, so stored demo shops are made again. */
export const DEMO_GENERATOR_VERSION = 1;

export interface DemoSpec {
  /** 1 ≈ 50,000 orders, 10,000 customers, 500 products; fractions are fine. */
  scale: number;
  seed?: number;
  /** The moment the shop is generated at; every row is dated before it. */
  now?: Date;
}

export interface DemoShop {
  customers: CustomerRow[];
  products: ProductRow[];
  orderCount: number;
  orderBatches(batchSize: number): Generator<OrderBatch>;
}

export interface DemoSizes {
  customers: number;
  products: number;
  orders: number;
}

/**
 * Target row counts for a scale. A catalogue grows more slowly than trade, so products scale
 * with the square root; small floors keep tiny scales meaningful.
 */
export function demoSizes(scale: number): DemoSizes {
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) {
    throw new ConfigError('The demo scale must be a number above 0 and at most 1000, for example 1 or 0.05.');
  }
  return {
    customers: Math.max(20, Math.round(10_000 * scale)),
    products: Math.max(40, Math.round(500 * Math.sqrt(scale))),
    orders: Math.max(20, Math.round(50_000 * scale)),
  };
}

export function generateDemo(spec: DemoSpec): DemoShop {
  const seed = spec.seed ?? DEFAULT_DEMO_SEED;
  const sizes = demoSizes(spec.scale);
  const timeline = timelineFor(spec.now ?? new Date(), seed);
  const customers = generateCustomers(timeline, sizes.customers, seed);
  const products = generateProducts(timeline, sizes.products, seed);
  const dayCounts = countsPerDay(timeline, sizes.orders);
  return {
    customers: customers.rows,
    products: products.rows,
    orderCount: dayCounts.reduce((a, b) => a + b, 0),
    orderBatches: (batchSize) =>
      generateOrders({ timeline, customers, products, dayCounts, seed }, batchSize),
  };
}
