// Bundles the dashboard into dist/: one script and one stylesheet named by their content hash (cached for a year by
// the app), and index.html, which names them and is revalidated on every load. Everything the page needs is in
// dist/: no CDN, no web font. Run through `npm run build` (./build.sh does it when a source changed).
import * as esbuild from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const dist = 'dist';
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  outdir: dist,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs).filter(([, o]) => o.entryPoint === 'src/main.tsx');
const script = outputs.map(([file]) => file).find((f) => f.endsWith('.js'));
const style = Object.keys(result.metafile.outputs).find((f) => f.endsWith('.css'));
if (!script || !style) throw new Error('esbuild produced no script or stylesheet');

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Thoras dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${path.basename(style)}">
<script type="module" src="${path.basename(script)}"></script>
</head>
<body>
<noscript>The Thoras dashboard needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;
await writeFile(path.join(dist, 'index.html'), html);
console.log(`dashboard: ${path.basename(script)}, ${path.basename(style)}, index.html`);
