import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

/** The controller `vite dev` forwards API calls and the console WebSocket to. */
const controller = process.env["LAYERBOOM_URL"] ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  // The portal imports the client's TypeScript sources, as the tests do.
  resolve: { conditions: ["layerboom-source", ...defaultClientConditions] },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    proxy: { "/api": { target: controller, ws: true, changeOrigin: false } },
  },
});
