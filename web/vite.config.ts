import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The web app: built into web/dist, which the Fastify server serves on the API's port. Three entries:
 * the app (index.html), the chat widget's frame page (widget.html: no Ant Design, kept small), and the
 * embed script other sites load with one <script> tag, under a stable name the server serves as /widget.js.
 */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        main: path.join(root, 'index.html'),
        widget: path.join(root, 'widget.html'),
        loader: path.join(root, 'src/widget/loader.ts'),
      },
      output: {
        // server/src/conversations/widget-routes.ts reads this path
        entryFileNames: (chunk) => (chunk.name === 'loader' ? 'embed/widget.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    port: 5173,
    // In development the API runs separately (npm run dev, port 3100 by convention).
    proxy: {
      '/api': 'http://localhost:3100',
      '/docs': 'http://localhost:3100',
      // the widget's frame and embed script come from the server's build; its realtime channel too
      '/widget': 'http://localhost:3100',
      '/socket.io': { target: 'http://localhost:3100', ws: true },
    },
  },
});
