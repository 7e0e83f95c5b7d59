// Sender colours are derived from usernames, so every name must be readable
// on every background a name is drawn on, and white on it (avatars) too.
import fc from "fast-check";
import { AA, contrast, userColor } from "../browser/src/colors";

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
