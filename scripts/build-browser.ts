// Bundles the browser page with esbuild: browser/src/main.ts → browser/dist/app.js
// (minified, with a source map). `npm start` runs it before serving;
// `--watch` rebuilds on every change (npm run dev).
import { context, type BuildOptions } from "esbuild";

export const BROWSER_BUILD: BuildOptions = {
  entryPoints: ["browser/src/main.ts"],
  outfile: "browser/dist/app.js",
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
