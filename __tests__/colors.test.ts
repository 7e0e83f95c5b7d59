// Sender colours are derived from usernames, so every name must be readable
// on every background a name is drawn on, and white on it (avatars) too.
import fc from "fast-check";
import { AA, contrast, userColor, userColorOnDark } from "../browser/src/colors";

const BACKGROUNDS: Array<[string, [number, number, number]]> = [
  ["page", [0xff, 0xff, 0xff]],
  ["hovered message", [0xf1, 0xf3, 0xf5]],
  ["message mentioning the reader", [0xff, 0xfc, 0xf0]],
  ["message found by search", [0xed, 0xf2, 0xfd]],
];

test("every username's colour meets WCAG AA on every message background, and under white text", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{3,32}$/), (username) => {
      const [r, g, b] = userColor(username).match(/\d+/g)!.map(Number) as [number, number, number];
      for (const [, background] of BACKGROUNDS) expect(contrast([r, g, b], background)).toBeGreaterThanOrEqual(AA);
      expect(contrast([r, g, b], [255, 255, 255])).toBeGreaterThanOrEqual(AA);
    }),
    { numRuns: 3000 },
  );
});

const DARK_BACKGROUNDS: Array<[string, [number, number, number]]> = [
  ["dark page", [0x16, 0x18, 0x1d]],
  ["dark hovered message", [0x21, 0x25, 0x2d]],
  ["dark message mentioning the reader", [0x2a, 0x26, 0x15]],
  ["dark message found by search", [0x1e, 0x29, 0x44]],
];

test("every username's dark-theme colour meets WCAG AA on every dark message background", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{3,32}$/), (username) => {
      const rgb = userColorOnDark(username).match(/\d+/g)!.map(Number) as [number, number, number];
      for (const [, background] of DARK_BACKGROUNDS) expect(contrast(rgb, background)).toBeGreaterThanOrEqual(AA);
    }),
    { numRuns: 3000 },
  );
});
