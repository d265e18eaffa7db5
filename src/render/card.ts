import type { SKRSContext2D } from '@napi-rs/canvas';
import type { BigNumberSpec } from './chartSpec.ts';
import { formatNumber } from './numbers.ts';
import { font, type Theme } from './theme.ts';

// A headline card drawn straight on the canvas: the value large, what it is under it, and the
// change against the previous period with an arrow (direction is in the shape, not only colour).

export interface CardContent {
  title: string;
  value: string;
  /** A compact spelling to fall back to when the full value cannot fit. */
  shortValue?: string;
  label?: string;
  change?: { text: string; direction: 'up' | 'down' | 'flat' };
  note?: string;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const PADDING = 20;

export function cardContent(spec: BigNumberSpec): CardContent {
  const opts = { locale: spec.format.locale, currency: spec.format.currency };
  const content: CardContent = {
    title: spec.title,
    value: formatNumber(spec.value, spec.format.style, opts),
    shortValue: formatNumber(spec.value, spec.format.style, { ...opts, compact: true }),
    label: spec.label,
    note: spec.note,
  };
  if (spec.previousValue === undefined) return content;
  const previous = formatNumber(spec.previousValue, spec.format.style, opts);
  const pct = spec.changePct;
  if (pct === null || pct === undefined) {
    return { ...content, change: { text: `previous period: ${previous}`, direction: 'flat' } };
  }
  const size = formatNumber(Math.abs(pct), 'percent', opts);
  const direction = pct > 0 ? 'up' : pct < 0 ? 'down' : 'flat';
  const arrow = { up: '▲', down: '▼', flat: '■' }[direction];
  return { ...content, change: { text: `${arrow} ${size} vs previous period (${previous})`, direction } };
}

/** The largest size from `start` down to `min` at which `text` fits `maxWidth`. */
function fittingSize(
  ctx: SKRSContext2D,
  text: string,
  maxWidth: number,
  start: number,
  min: number,
  weight: 400 | 600 | 700,
) {
  let size = start;
  for (; size > min; size -= 2) {
    ctx.font = font(size, weight);
    if (ctx.measureText(text).width <= maxWidth) return size;
  }
  return min;
}

/** Cuts `text` with "…" until it fits `maxWidth` at the current font. */
function ellipsize(ctx: SKRSContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && ctx.measureText(`${chars.join('')}…`).width > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

export function drawCard(ctx: SKRSContext2D, content: CardContent, rect: Rect, theme: Theme): void {
  const inner = rect.width - 2 * PADDING;
  const left = rect.x + PADDING;
  ctx.save();
  ctx.fillStyle = theme.card;
  ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';

  ctx.font = font(18, 600);
  ctx.fillStyle = theme.text;
  ctx.fillText(ellipsize(ctx, content.title, inner), left, rect.y + PADDING);

  const start = Math.min(96, rect.height * 0.3);
  let value = content.value;
  let size = fittingSize(ctx, value, inner, start, 28, 700);
  ctx.font = font(size, 700);
  if (ctx.measureText(value).width > inner && content.shortValue) {
    value = content.shortValue;
    size = fittingSize(ctx, value, inner, start, 28, 700);
  }
  const blockHeight = size + (content.label ? 34 : 0) + (content.change ? 30 : 0);
  let y = rect.y + PADDING + 30 + Math.max(0, (rect.height - PADDING * 2 - 30 - blockHeight - 20) / 2);
  ctx.font = font(size, 700);
  ctx.fillStyle = theme.text;
  ctx.fillText(ellipsize(ctx, value, inner), left, y);
  y += size + 12;

  if (content.label) {
    ctx.font = font(18);
    ctx.fillStyle = theme.muted;
    ctx.fillText(ellipsize(ctx, content.label, inner), left, y);
    y += 34;
  }
  if (content.change) {
    const colour = { up: theme.up, down: theme.down, flat: theme.muted }[content.change.direction];
    ctx.font = font(18, 600);
    ctx.fillStyle = colour;
    ctx.fillText(ellipsize(ctx, content.change.text, inner), left, y);
  }
  if (content.note) {
    ctx.font = font(12);
    ctx.fillStyle = theme.muted;
    ctx.textBaseline = 'bottom';
    ctx.fillText(ellipsize(ctx, content.note, inner), left, rect.y + rect.height - 12);
  }
  ctx.restore();
}
