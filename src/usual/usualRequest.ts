// Whether a message asks for the usual dashboard in words ("show me the usual", "the usual
// sales dashboard", "my usual", "/usual sales"), and about what. Questions that only use the
// word ("what's our usual order size?") are questions, not requests.

const REQUEST =
  /^(?:\/usual\b|(?:(?:please\s+)?(?:can\s+you\s+|could\s+you\s+)?(?:show|give|get|open|pull\s+up|bring\s+up)(?:\s+(?:me|us))?\s+)?(?:the|my|our)\s+usual\b)(.*)$/i;
const FILLER = /\b(?:dashboard|dashboards|panels?|numbers|report|please|again|for\s+me|for\s+today)\b/gi;

export function isUsualRequest(text: string): { topic?: string } | null {
  const cleaned = text
    .trim()
    .replace(/^<@[A-Z0-9]+>\s*/, '')
    .replace(/[.!?]+$/, '')
    .trim();
  const m = REQUEST.exec(cleaned);
  if (!m) return null;
  const topic = m[1]!
    .replace(FILLER, ' ')
    .replace(/^\s*(?:on|for|about|of)\s+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return topic ? { topic } : {};
}
