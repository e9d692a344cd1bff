// Builds the dashboard into the gateway's classpath (called by the gateway's Maven build in the
// generate-resources phase, see gateway/pom.xml, and by `npm run build`).
//
// esbuild bundles src/main.js (and lightweight-charts from node_modules) into one minified,
// content-hashed script and stylesheet; index.html is written with their names. The output
// directory gets a manifest, assets.txt (one file name per line), which the node's
// DashboardAssets reads to load every file into memory at start. Nothing is fetched at run time.
//
// Usage: node build.mjs [outDir]   (default ../target/classes/io/zkperp/gateway/dashboard)
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, '../target/classes/io/zkperp/gateway/dashboard'));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, 'src/main.js'), join(here, 'src/style.css')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const files = Object.keys(result.metafile.outputs).map((f) => basename(f));
const js = files.find((f) => f.startsWith('main-') && f.endsWith('.js'));
const css = files.find((f) => f.startsWith('style-') && f.endsWith('.css'));
if (!js || !css) {
  throw new Error(`esbuild did not produce main-*.js and style-*.css: ${files.join(', ')}`);
}
const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('%MAIN_JS%', js)
  .replace('%STYLE_CSS%', css);
writeFileSync(join(out, 'index.html'), html);
files.push('index.html');
writeFileSync(join(out, 'assets.txt'), files.sort().join('\n') + '\n');
console.log(`dashboard: ${files.length} files in ${out}: ${files.join(', ')}`);
