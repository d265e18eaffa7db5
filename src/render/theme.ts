import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

// The look of every image: a colour-blind-safe palette (Okabe–Ito), readable text, and a bundled
// font so text renders the same on a slim server image with no system fonts at all.

export type ThemeName = 'light' | 'dark';

export interface Theme {
  /** Behind the panels of a dashboard. */
  page: string;
  /** Behind a chart or a card. */
  card: string;
  text: string;
  muted: string;
  grid: string;
  palette: string[];
  up: string;
  down: string;
}

// Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. Yellow comes
// late: it is faint on white.
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442'];

export const THEMES: Record<ThemeName, Theme> = {
  light: {
    page: '#EEF0F3',
    card: '#FFFFFF',
    text: '#1D1C1D',
    muted: '#616061',
    grid: '#E3E4E6',
    palette: [...OKABE_ITO, '#000000'],
    up: '#0072B2',
    down: '#D55E00',
  },
  // Slack's dark-mode message background, so the image sits in the conversation.
  dark: {
    page: '#111315',
    card: '#1A1D21',
    text: '#E8E8E8',
    muted: '#ABABAD',
    grid: '#34373C',
    palette: [...OKABE_ITO, '#BBBBBB'],
    up: '#56B4E9',
    down: '#E69F00',
  },
};

const TEXT_FAMILY = 'Quarry Inter';
const EMOJI_FAMILY = 'Quarry Emoji';
/** Bundled faces first; any system face fills in glyphs they lack (CJK where installed). */
export const FONT_FAMILY = `"${TEXT_FAMILY}", "${EMOJI_FAMILY}", "DejaVu Sans", "Noto Sans", sans-serif`;

let fontsRegistered = false;

/** Registers the bundled fonts once per process: Inter for text, monochrome Noto Emoji (split
 *  into Unicode-range files, all under one family) so emoji in labels are not empty boxes. */
export function ensureFonts(): void {
  if (fontsRegistered) return;
  const require = createRequire(import.meta.url);
  for (const weight of [400, 600, 700]) {
    GlobalFonts.registerFromPath(
      require.resolve(`@fontsource/inter/files/inter-latin-${weight}-normal.woff2`),
      TEXT_FAMILY,
    );
  }
  const emojiFiles = join(dirname(require.resolve('@fontsource/noto-emoji/package.json')), 'files');
  for (const file of readdirSync(emojiFiles)) {
    if (/-400-normal\.woff2$/.test(file)) GlobalFonts.registerFromPath(join(emojiFiles, file), EMOJI_FAMILY);
  }
  fontsRegistered = true;
}

export function font(size: number, weight: 400 | 600 | 700 = 400): string {
  return `${weight} ${size}px ${FONT_FAMILY}`;
}

/** A palette colour with an alpha, for area fills and dense scatter points. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `${hex}${a}`;
}
