// Bundles the built CLI (dist/main.js, from `tsc -b`) into dist/bundle/main.js, the file that
// `./layerboom` and the package's `bin` run. Node 20 resolves and links each ES module file on
// its own: the CLI's 80 small modules cost about 60 ms of a call that `node -e ''` does in 120
// (docs/benchmarks.md, bench/cli). One file loads in a fraction of that.
//
// Only what every command needs is bundled: the CLI itself, core's vocabulary, the API client,
// commander and openapi-fetch. Everything else stays an import resolved at run time from
// node_modules (the controller with PGlite's wasm, the agent, the image tools, pino and its
// worker transports, ws): those load lazily, in the commands that use them, as they did, and some
// find their own files beside them, which a bundle would break. A new dependency is therefore
// external until it is named here.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BUNDLED = new Set(["@layerboom/core", "@layerboom/client", "commander", "openapi-fetch"]);
const here = fileURLToPath(new URL(".", import.meta.url));

/** The package a bare import names: `@scope/name/x` → `@scope/name`, `name/x` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

// Chunk names carry a hash: clear the last build's so none is left behind.
rmSync(new URL("dist/bundle", import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: here,
  entryPoints: ["dist/main.js"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // commander is CommonJS: its require() calls need a require in an ES module.
  banner: {
    js: "import { createRequire as __layerboomRequire } from 'node:module'; const require = __layerboomRequire(import.meta.url);",
  },
  plugins: [
    {
      name: "external-unless-bundled",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("node:") || BUNDLED.has(packageOf(args.path))
            ? undefined
            : { path: args.path, external: true },
        );
      },
    },
  ],
});
