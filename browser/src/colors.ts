// Per-user colours: a hue from a hash of the username, darkened until the
// colour reaches WCAG AA (4.5:1) against the light theme's message
// backgrounds (white on that colour, for avatars, then passes too), and a
// lighter one of the same hue for names on the dark theme's backgrounds.

type Rgb = [number, number, number];

/**
 * Darker than any background a sender name is drawn on (hovered, mentioning
 * the reader, found by search: #f1f3f5, #fffcf0, #edf2fd), with a margin over
 * AA, so a name stays readable in every state whatever the browser blends.
 */
const DARKEST_BACKGROUND: Rgb = [0xe8, 0xed, 0xfb];
/**
 * Lighter than any dark-theme background a name is drawn on (hovered,
 * mentioning the reader, found by search: #21252d, #2a2615, #1e2944), with
 * a margin.
 */
const LIGHTEST_DARK_BACKGROUND: Rgb = [0x2c, 0x33, 0x4c];
export const AA = 4.5;
const TARGET = AA + 0.3;

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

export function hashString(s: string): number {
  // FNV-1a, 32 bit.
  let hash = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    hash ^= s.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** From a start lightness, moved by `step` until the colour reads on `background`. */
type Shade = { cache: Map<string, string>; start: number; step: number; background: Rgb };

const LIGHT_THEME: Shade = { cache: new Map(), start: 0.5, step: -0.01, background: DARKEST_BACKGROUND };
const DARK_THEME: Shade = { cache: new Map(), start: 0.6, step: 0.01, background: LIGHTEST_DARK_BACKGROUND };

function shade(username: string, { cache, start, step, background }: Shade): string {
  const key = username.toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  const hash = hashString(key);
  const hue = hash % 360;
  const saturation = 0.55 + ((hash >>> 9) % 20) / 100;
  let lightness = start;
  let rgb = hslToRgb(hue, saturation, lightness);
  while (contrast(rgb, background) < TARGET && lightness > 0.05 && lightness < 0.95) {
    lightness += step;
    rgb = hslToRgb(hue, saturation, lightness);
  }
  const color = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
  cache.set(key, color);
  return color;
}

/** A stable, readable colour for a username (case-insensitive, as usernames are). */
export function userColor(username: string): string {
  return shade(username, LIGHT_THEME);
}

/** The same hue as userColor, light enough for a name on the dark theme's backgrounds. */
export function userColorOnDark(username: string): string {
  return shade(username, DARK_THEME);
}

/** The first letter of a name, for an avatar. */
export function initial(username: string): string {
  return (Array.from(username)[0] ?? "?").toUpperCase();
}
