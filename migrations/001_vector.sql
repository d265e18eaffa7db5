-- pgvector stores question embeddings (query_embeddings.embedding) and searches them by cosine.
CREATE EXTENSION IF NOT EXISTS vector;
