// Builds GOV.UK Frontend and our own styles and scripts into dist/, which Django
// serves as static files (STATICFILES_DIRS = [BASE_DIR / "site" / "dist"]).
//
//   dist/govuk/govuk-frontend.min.css   GOV.UK Frontend from its Sass, assets path "assets/"
//   dist/govuk/govuk-frontend.min.js    the package's ES module build (+ .map)
//   dist/govuk/assets/                  fonts, images, manifest.json (from the package)
//   dist/app.css                        src/app.scss: print styles, RAG tags, sign-out button
//   dist/init.js                        src/init.mjs: marks <body> supported, runs initAll()
//
// Usage: npm ci && npm run build   (Node 20.19+; no network needed after npm ci)
import { cp, mkdir, rm, writeFile, copyFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = dirname(fileURLToPath(import.meta.url))
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const dist = join(root, 'dist')

const sassOptions = {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  sourceMap: false,
  // Deprecation warnings from inside govuk-frontend are theirs to fix, not ours.
  quietDeps: true
}

async function compile (entry, output) {
  const result = await sass.compileAsync(join(root, 'src', entry), sassOptions)
  await writeFile(join(dist, output), result.css + '\n')
  console.log(`built dist/${output} (${result.css.length} bytes)`)
}

await rm(dist, { recursive: true, force: true })
await mkdir(join(dist, 'govuk'), { recursive: true })

await Promise.all([
  compile('govuk-frontend.scss', 'govuk/govuk-frontend.min.css'),
  compile('app.scss', 'app.css'),
  // The minified JS ends with a sourceMappingURL comment: ManifestStaticFilesStorage
  // follows it during collectstatic, so the .map file must be there too.
  copyFile(join(govuk, 'govuk-frontend.min.js'), join(dist, 'govuk', 'govuk-frontend.min.js')),
  copyFile(join(govuk, 'govuk-frontend.min.js.map'), join(dist, 'govuk', 'govuk-frontend.min.js.map')),
  cp(join(govuk, 'assets'), join(dist, 'govuk', 'assets'), { recursive: true }),
  copyFile(join(root, 'src', 'init.mjs'), join(dist, 'init.js'))
])
console.log('copied GOV.UK Frontend JavaScript and assets, and init.js')
