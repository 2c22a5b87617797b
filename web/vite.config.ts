import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The web app: built into web/dist, which the Fastify server serves on the API's port. */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    // In development the API runs separately (npm run dev, port 3100 by convention).
    proxy: { '/api': 'http://localhost:3100', '/docs': 'http://localhost:3100' },
  },
});
