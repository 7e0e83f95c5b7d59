// Bundles the browser page with esbuild: browser/src/main.ts → browser/dist/app.js
// and the style sheets, browser/public/styles/index.css and what it imports →
// browser/dist/styles.css (both minified, with source maps; served as /app.js and
// /styles.css). `npm start` runs it before serving; `--watch` rebuilds on every
// change (npm run dev).
import { context, type BuildOptions } from "esbuild";

export const BROWSER_BUILD: BuildOptions = {
  entryPoints: [
    { in: "browser/src/main.ts", out: "app" },
    { in: "browser/public/styles/index.css", out: "styles" },
  ],
  outdir: "browser/dist",
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2022"],
  platform: "browser",
  logLevel: "info",
};

const watch = process.argv.includes("--watch");
const ctx = await context(BROWSER_BUILD);
if (watch) {
  await ctx.watch();
} else {
  await ctx.rebuild();
  await ctx.dispose();
}
