// Settings of every session on the memory database. A pattern search filtered to one team or
// person must keep reading the HNSW index until it has enough rows (pgvector's iterative scan);
// set once per connection, the search itself is a single statement.
export const MEMORY_SESSION_SETTINGS: Record<string, string> = { 'hnsw.iterative_scan': 'relaxed_order' };
