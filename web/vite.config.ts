// The web app: two static pages (explorer, dashboard) built from web/ into web/dist/.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: { index: `${here}index.html`, dashboard: `${here}dashboard.html` },
    },
  },
  worker: { format: "es" },
});
