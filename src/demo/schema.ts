// The demo shop's tables (the shape of demo/schema.sql in the design), with comments that
// schema discovery reads, so the planner learns what "total" or "created_at" mean here.

import { CATEGORIES } from './catalog.ts';

export const DEMO_TABLES = ['customers', 'products', 'orders', 'order_items'] as const;

/** Every demo table's comment starts with this; a table without it is someone else's. */
export const DEMO_TABLE_MARK = 'Demo shop';

// Foreign keys and secondary indexes come after the rows: building them once is far quicker
// than maintaining them row by row.
export const CREATE_TABLES = `
CREATE TABLE customers (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  email       text NOT NULL UNIQUE,
  country     text NOT NULL,
  city        text NOT NULL,
  segment     text NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TABLE products (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  category    text NOT NULL,
  price       numeric(10,2) NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TABLE orders (
  id           integer PRIMARY KEY,
  customer_id  integer NOT NULL,
  status       text NOT NULL,
  total        numeric(12,2) NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE TABLE order_items (
  id          integer PRIMARY KEY,
  order_id    integer NOT NULL,
  product_id  integer NOT NULL,
  quantity    integer NOT NULL CHECK (quantity > 0),
  price       numeric(10,2) NOT NULL
);
`;

export const CREATE_KEYS_AND_INDEXES = `
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers(id);
ALTER TABLE order_items ADD FOREIGN KEY (order_id) REFERENCES orders(id);
ALTER TABLE order_items ADD FOREIGN KEY (product_id) REFERENCES products(id);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
`;

const categoryList = CATEGORIES.map((c) => c.name).join(', ');

interface TableDescription {
  table: string;
  columns: Record<string, string>;
}

/** What each demo table and its columns hold, in the words schema discovery reads (its comments). */
const DESCRIPTIONS: Record<(typeof DEMO_TABLES)[number], TableDescription> = {
  customers: {
    table: 'customers: people and companies who signed up to buy',
    columns: {
      name: 'person or company name',
      country: 'country name in English, e.g. Germany, United States',
      city: 'city within the country',
      segment: 'customer type: consumer (private person) or business (company)',
      created_at: 'signup time',
    },
  },
  products: {
    table: 'products: the catalogue',
    columns: {
      name: 'product name',
      category: `product category: ${categoryList}`,
      price: 'list price in USD; the price paid is order_items.price',
      created_at: 'time the product was added to the catalogue',
    },
  },
  orders: {
    table: 'orders: one row per order placed',
    columns: {
      customer_id: 'the customer who placed the order',
      status: 'order status: completed, shipped (on its way), cancelled or refunded',
      total: 'order value in USD = sum of its order_items price*quantity',
      created_at: 'time the order was placed',
    },
  },
  order_items: {
    table: 'order lines: one row per product in an order',
    columns: {
      order_id: 'the order this line belongs to',
      product_id: 'the product bought',
      quantity: 'units of the product on this line',
      price: 'unit price paid in USD, after any discount',
    },
  },
};

export const COMMENTS = DEMO_TABLES.map((table) => {
  const { table: what, columns } = DESCRIPTIONS[table];
  return [
    `COMMENT ON TABLE ${table} IS '${DEMO_TABLE_MARK} ${what}';`,
    ...Object.entries(columns).map(([column, text]) => `COMMENT ON COLUMN ${table}.${column} IS '${text}';`),
  ].join('\n');
}).join('\n\n');
