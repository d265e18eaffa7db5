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

export const COMMENTS = `
COMMENT ON TABLE customers IS '${DEMO_TABLE_MARK} customers: people and companies who signed up to buy';
COMMENT ON COLUMN customers.name IS 'person or company name';
COMMENT ON COLUMN customers.country IS 'country name in English, e.g. Germany, United States';
COMMENT ON COLUMN customers.city IS 'city within the country';
COMMENT ON COLUMN customers.segment IS 'customer type: consumer (private person) or business (company)';
COMMENT ON COLUMN customers.created_at IS 'signup time';

COMMENT ON TABLE products IS '${DEMO_TABLE_MARK} products: the catalogue';
COMMENT ON COLUMN products.name IS 'product name';
COMMENT ON COLUMN products.category IS 'product category: ${categoryList}';
COMMENT ON COLUMN products.price IS 'list price in USD; the price paid is order_items.price';
COMMENT ON COLUMN products.created_at IS 'time the product was added to the catalogue';

COMMENT ON TABLE orders IS '${DEMO_TABLE_MARK} orders: one row per order placed';
COMMENT ON COLUMN orders.customer_id IS 'the customer who placed the order';
COMMENT ON COLUMN orders.status IS 'order status: completed, shipped (on its way), cancelled or refunded';
COMMENT ON COLUMN orders.total IS 'order value in USD = sum of its order_items price*quantity';
COMMENT ON COLUMN orders.created_at IS 'time the order was placed';

COMMENT ON TABLE order_items IS '${DEMO_TABLE_MARK} order lines: one row per product in an order';
COMMENT ON COLUMN order_items.order_id IS 'the order this line belongs to';
COMMENT ON COLUMN order_items.product_id IS 'the product bought';
COMMENT ON COLUMN order_items.quantity IS 'units of the product on this line';
COMMENT ON COLUMN order_items.price IS 'unit price paid in USD, after any discount';
`;
