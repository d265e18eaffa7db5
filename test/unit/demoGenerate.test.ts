import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/demo/catalog.ts';
import { type DemoShop, demoSizes, generateDemo } from '../../src/demo/generate.ts';
import { COUNTRIES } from '../../src/demo/places.ts';
import type { OrderItemRow, OrderRow } from '../../src/demo/rows.ts';
import { ConfigError } from '../../src/errors.ts';

const DAY = 86_400_000;
// Mid-morning on the first day of a month, so "this month" is only a few hours old.
const NOW = new Date('2025-04-01T09:30:00Z');
const SPEC = { scale: 0.05, seed: 11, now: NOW };

function allOrders(shop: DemoShop, batchSize = 700): { orders: OrderRow[]; items: OrderItemRow[] } {
  const orders: OrderRow[] = [];
  const items: OrderItemRow[] = [];
  for (const batch of shop.orderBatches(batchSize)) {
    orders.push(...batch.orders);
    items.push(...batch.items);
  }
  return { orders, items };
}

const shop = generateDemo(SPEC);
const { orders, items } = allOrders(shop);
const ordersIn = (from: number, to: number) => orders.filter((o) => o.createdAt >= from && o.createdAt < to);

describe('generateDemo', () => {
  it('makes the same rows for the same seed, scale and moment, whatever the batch size', () => {
    const again = generateDemo(SPEC);
    expect(again.customers).toEqual(shop.customers);
    expect(again.products).toEqual(shop.products);
    expect(allOrders(again, 64)).toEqual({ orders, items });
  });

  it('makes a different shop for another seed', () => {
    const other = generateDemo({ ...SPEC, seed: 12 });
    expect(other.customers.map((c) => c.email)).not.toEqual(shop.customers.map((c) => c.email));
    expect(allOrders(other).orders.map((o) => o.totalCents)).not.toEqual(orders.map((o) => o.totalCents));
  });

  it('has the sizes of its scale', () => {
    const sizes = demoSizes(0.05);
    expect(shop.customers).toHaveLength(sizes.customers);
    expect(orders).toHaveLength(shop.orderCount);
    expect(Math.abs(orders.length - sizes.orders)).toBeLessThan(sizes.orders * 0.01);
    expect(Math.abs(shop.products.length - sizes.products)).toBeLessThanOrEqual(CATEGORIES.length);
    expect(demoSizes(1)).toEqual({ customers: 10_000, products: 500, orders: 50_000 });
  });

  it('refuses a scale that is not a positive number', () => {
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => demoSizes(scale)).toThrow(ConfigError);
    }
  });

  it("sets each order's total to exactly the sum of its lines", () => {
    const sums = new Map<number, number>();
    for (const item of items)
      sums.set(item.orderId, (sums.get(item.orderId) ?? 0) + item.priceCents * item.quantity);
    expect(sums.size).toBe(orders.length);
    for (const order of orders) expect(order.totalCents).toBe(sums.get(order.id));
  });

  it('gives every order 1–5 distinct products with quantities 1–5 at list price or a discount of it', () => {
    const listPrice = new Map(shop.products.map((p) => [p.id, p.priceCents]));
    const linesPerOrder = new Map<number, number[]>();
    for (const item of items) {
      linesPerOrder.set(item.orderId, [...(linesPerOrder.get(item.orderId) ?? []), item.productId]);
      expect(item.quantity).toBeGreaterThanOrEqual(1);
      expect(item.quantity).toBeLessThanOrEqual(5);
      const list = listPrice.get(item.productId)!;
      expect(item.priceCents).toBeLessThanOrEqual(list);
      expect(item.priceCents).toBeGreaterThanOrEqual(Math.floor(list * 0.7));
    }
    for (const products of linesPerOrder.values()) {
      expect(products.length).toBeGreaterThanOrEqual(1);
      expect(products.length).toBeLessThanOrEqual(5);
      expect(new Set(products).size).toBe(products.length);
    }
    const discounted = items.filter((i) => i.priceCents < listPrice.get(i.productId)!).length;
    expect(discounted / items.length).toBeGreaterThan(0.05);
    expect(discounted / items.length).toBeLessThan(0.25);
  });

  it('uses realistic value domains', () => {
    const citiesOf = new Map(COUNTRIES.map((c) => [c.name, new Set(c.cities.map(([city]) => city))]));
    for (const c of shop.customers) {
      expect(citiesOf.get(c.country)?.has(c.city)).toBe(true);
      expect(['consumer', 'business']).toContain(c.segment);
      expect(c.email).toMatch(/^[a-z0-9.]+@[a-z0-9.-]+\.com$/);
    }
    expect(new Set(shop.customers.map((c) => c.email)).size).toBe(shop.customers.length);
    expect(new Set(shop.customers.map((c) => c.country)).size).toBe(COUNTRIES.length);
    expect(COUNTRIES.length).toBe(15);

    const categories = new Set(shop.products.map((p) => p.category));
    expect([...categories].sort()).toEqual(CATEGORIES.map((c) => c.name).sort());
    expect(new Set(shop.products.map((p) => p.name)).size).toBe(shop.products.length);
    for (const p of shop.products) expect(p.priceCents).toBeGreaterThan(0);

    const share = (status: string) => orders.filter((o) => o.status === status).length / orders.length;
    expect(share('completed')).toBeGreaterThan(0.8);
    expect(share('cancelled')).toBeGreaterThan(0.02);
    expect(share('refunded')).toBeGreaterThan(0.01);
    expect(share('shipped')).toBeGreaterThan(0);
    expect(share('completed') + share('shipped') + share('cancelled') + share('refunded')).toBeCloseTo(1, 10);
  });

  it('dates everything before now and has orders every day of the last 2–3 years', () => {
    const now = NOW.getTime();
    const today = Date.UTC(2025, 3, 1);
    for (const row of [...shop.customers, ...shop.products, ...orders])
      expect(row.createdAt).toBeLessThan(now);

    const first = Math.min(...orders.map((o) => o.createdAt));
    expect(now - first).toBeGreaterThan(2 * 365 * DAY);
    expect(now - first).toBeLessThan(3 * 365 * DAY);
    const daysWithOrders = new Set(orders.map((o) => Math.floor(o.createdAt / DAY)));
    for (let day = Math.floor(first / DAY); day < today / DAY; day++)
      expect(daysWithOrders.has(day)).toBe(true);

    expect(ordersIn(today - DAY, today).length).toBeGreaterThan(0); // yesterday
    expect(ordersIn(Date.UTC(2025, 2, 1), today).length).toBeGreaterThan(0); // last month
    expect(ordersIn(Date.UTC(2025, 0, 1), today).length).toBeGreaterThan(0); // last quarter, this year
    expect(ordersIn(today, now).length).toBeGreaterThan(0); // today so far
  });

  it('has an order and a sign-up today even minutes after midnight on the 1st', () => {
    const justAfterMidnight = new Date('2026-01-01T00:03:00Z');
    const early = generateDemo({ ...SPEC, now: justAfterMidnight });
    const today = Date.UTC(2026, 0, 1);
    const todays = allOrders(early).orders.filter((o) => o.createdAt >= today);
    expect(todays.length).toBeGreaterThan(0);
    expect(early.customers.filter((c) => c.createdAt >= today).length).toBeGreaterThan(0);
    for (const row of [...todays, ...early.customers])
      expect(row.createdAt).toBeLessThan(justAfterMidnight.getTime());
  });

  it('grows: the last twelve months sell more than the twelve before', () => {
    const now = NOW.getTime();
    const recent = ordersIn(now - 365 * DAY, now).length;
    const before = ordersIn(now - 730 * DAY, now - 365 * DAY).length;
    expect(recent).toBeGreaterThan(before * 1.1);
  });

  it('signs customers up before their first order and launches products before they sell', () => {
    const signedUp = new Map(shop.customers.map((c) => [c.id, c.createdAt]));
    for (const o of orders) expect(signedUp.get(o.customerId)!).toBeLessThan(o.createdAt);
    const launched = new Map(shop.products.map((p) => [p.id, p.createdAt]));
    const placed = new Map(orders.map((o) => [o.id, o.createdAt]));
    for (const i of items) expect(launched.get(i.productId)!).toBeLessThan(placed.get(i.orderId)!);
  });
});
