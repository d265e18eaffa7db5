import type { NumberStyle } from './columnKinds.ts';
import { formatterCache } from './formatterCache.ts';

// Numbers in the reader's locale with Intl. Exact decimal strings (numeric, int8) go to Intl as
// strings, which formats them exactly instead of through a lossy float.

export const DEFAULT_LOCALE = 'en-US';
export const DEFAULT_CURRENCY = 'USD';

export interface NumberOptions {
  locale?: string;
  currency?: string;
  /** Short forms for chart axes and headlines: 1.2K, 3.4M, money without cents. */
  compact?: boolean;
  /** The size that decides between 9,000 and 9K: an axis passes its largest tick so every tick
   *  on it reads the same way. Defaults to the value's own size. */
  magnitude?: number;
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A supported locale, or the default: a bad setting must not break an answer. */
export function safeLocale(locale: string | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.NumberFormat.supportedLocalesOf(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

function safeCurrency(currency: string | undefined): string {
  return currency && /^[A-Z]{3}$/i.test(currency) ? currency.toUpperCase() : DEFAULT_CURRENCY;
}

const formatter = formatterCache(
  (locale: string, options: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options),
);

function optionsFor(style: NumberStyle, magnitude: number, isInteger: boolean, opts: NumberOptions) {
  const compact: Intl.NumberFormatOptions =
    opts.compact && (opts.magnitude ?? magnitude) >= 10_000 ? { notation: 'compact' } : {};
  if (style === 'money') {
    // Axis ticks drop the cents ("$20K", "$0"); values keep them.
    const digits = compact.notation
      ? { minimumFractionDigits: 0, maximumFractionDigits: 1 }
      : opts.compact
        ? { minimumFractionDigits: 0, maximumFractionDigits: 2 }
        : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    return { style: 'currency', currency: safeCurrency(opts.currency), ...digits, ...compact } as const;
  }
  if (style === 'percent') {
    if (magnitude !== 0 && magnitude < 0.1) return { style: 'percent', maximumSignificantDigits: 2 } as const;
    return {
      style: 'percent',
      minimumFractionDigits: opts.compact ? 0 : 1,
      maximumFractionDigits: 1,
    } as const;
  }
  if (compact.notation) return { ...compact, maximumFractionDigits: 1 };
  if (isInteger || magnitude === 0) return { maximumFractionDigits: 0 };
  if (magnitude >= 0.01) return { maximumFractionDigits: 2 };
  if (magnitude >= 1e-4) return { maximumSignificantDigits: 2 };
  return { notation: 'scientific', maximumFractionDigits: 2 } as const;
}

/** Formats a number or an exact decimal string; text that is not a number comes back unchanged. */
export function formatNumber(value: number | string, style: NumberStyle, opts: NumberOptions = {}): string {
  if (typeof value === 'string' && !DECIMAL_TEXT.test(value.trim())) return value;
  // An id or a year is a name that happens to be digits: grouping would make it a quantity.
  if (style === 'identifier') return String(value).trim();
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const exact = typeof value === 'string' ? value.trim() : n;
  // A float can't tell "…890.129" from an integer once past 2^53; the text can.
  const isInteger =
    typeof exact === 'string' && !/e/i.test(exact) ? !/\.\d*[1-9]/.test(exact) : Number.isInteger(n);
  // Percent columns hold 0–100 (the planner's `round(100.0 * …)`); Intl's percent wants a fraction.
  const shown = style === 'percent' ? n / 100 : exact;
  const options = optionsFor(style, Math.abs(n), isInteger, opts);
  // Intl accepts decimal strings at run time (exact formatting); its typings lag behind.
  return formatter(safeLocale(opts.locale), options).format(shown as number);
}
