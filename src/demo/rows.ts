// The demo shop's rows as the generator makes them. Money is in integer cents so that an
// order's total is exactly the sum of its lines; times are epoch milliseconds (UTC).

export type Segment = 'consumer' | 'business';
export type OrderStatus = 'completed' | 'shipped' | 'cancelled' | 'refunded';

export interface CustomerRow {
  id: number;
  name: string;
  email: string;
  country: string;
  city: string;
  segment: Segment;
  createdAt: number;
}

export interface ProductRow {
  id: number;
  name: string;
  category: string;
  priceCents: number;
  createdAt: number;
}

export interface OrderRow {
  id: number;
  customerId: number;
  status: OrderStatus;
  totalCents: number;
  createdAt: number;
}

export interface OrderItemRow {
  id: number;
  orderId: number;
  productId: number;
  quantity: number;
  priceCents: number;
}

/** A run of consecutive orders with all of their lines. */
export interface OrderBatch {
  orders: OrderRow[];
  items: OrderItemRow[];
}
