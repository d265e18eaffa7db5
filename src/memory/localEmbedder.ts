import { questionFeatures } from '../language/questionFeatures.ts';
import { EMBEDDING_DIMENSIONS, type Embedder } from './embed.ts';

// The embedder that needs no network: feature hashing of a question's canonical words, word
// pairs, character trigrams and facets into a fixed number of dimensions, L2-normalized.
// Deterministic, so a question embeds the same on every machine and every run.

/** Facets weigh most: a different period or limit must pull two questions apart even when
 *  every word matches. "total"/"sum" weighs little: "sales last month" is a total already. */
const WEIGHT = { word: 1, lightWord: 0.3, pair: 0.5, trigram: 0.15, facet: 2, groupFacet: 1.5 };
const LIGHT_WORDS = new Set(['agg_sum']);

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function weightedFeatures(question: string): [string, number][] {
  const { words, facets } = questionFeatures(question);
  const out: [string, number][] = [];
  words.forEach((w, i) => {
    out.push([`w:${w}`, LIGHT_WORDS.has(w) ? WEIGHT.lightWord : WEIGHT.word]);
    const next = words[i + 1];
    // Unordered pairs: "revenue last month" and "last month's revenue" share them.
    if (next) out.push([`p:${[w, next].sort().join('+')}`, WEIGHT.pair]);
    const padded = `^${w}$`;
    for (let j = 0; j + 3 <= padded.length; j++) out.push([`c:${padded.slice(j, j + 3)}`, WEIGHT.trigram]);
  });
  for (const f of facets) out.push([`f:${f}`, f.startsWith('by:') ? WEIGHT.groupFacet : WEIGHT.facet]);
  return out;
}

export function embedLocally(question: string, dimensions: number = EMBEDDING_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const [feature, weight] of weightedFeatures(question)) {
    const h = hash(feature);
    // A signed hash keeps collisions from adding up in one direction.
    v[h % dimensions]! += h & 0x80000000 ? -weight : weight;
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

export function localEmbedder(dimensions: number = EMBEDDING_DIMENSIONS): Embedder {
  return {
    id: `local-hash-v1:${dimensions}`,
    dimensions,
    async embed(texts) {
      return texts.map((t) => embedLocally(t, dimensions));
    },
  };
}
