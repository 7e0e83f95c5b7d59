// Per-user colours: a hue from a hash of the username, darkened until the
// colour reaches WCAG AA (4.5:1) against the page's lightest and darkest
// message backgrounds; white on that colour (avatars) then passes too.

type Rgb = [number, number, number];

/**
 * Darker than any background a sender name is drawn on (hovered, mentioning
 * the reader, found by search: #f1f3f5, #fffcf0, #edf2fd), with a margin over
 * AA, so a name stays readable in every state whatever the browser blends.
 */
const DARKEST_BACKGROUND: Rgb = [0xe8, 0xed, 0xfb];
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

const cache = new Map<string, string>();

/** A stable, readable colour for a username (case-insensitive, as usernames are). */
export function userColor(username: string): string {
  const key = username.toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  const hash = hashString(key);
  const hue = hash % 360;
  const saturation = 0.55 + ((hash >>> 9) % 20) / 100;
  let lightness = 0.5;
  let rgb = hslToRgb(hue, saturation, lightness);
  while (contrast(rgb, DARKEST_BACKGROUND) < TARGET && lightness > 0.05) {
    lightness -= 0.01;
    rgb = hslToRgb(hue, saturation, lightness);
  }
  const color = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
  cache.set(key, color);
  return color;
}

/** The first letter of a name, for an avatar. */
export function initial(username: string): string {
  return (Array.from(username)[0] ?? "?").toUpperCase();
}
