import { resolve } from 'node:path';
import { constants as zlib } from 'node:zlib';
import CompressionPlugin from 'compression-webpack-plugin';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import TerserPlugin from 'terser-webpack-plugin';

/*
 * Builds the task pane into dist/. TypeScript goes through SWC (no type-checking here: `npm run
 * typecheck` does that), and the same SWC minifies production builds.
 */
/**
 * Bytes the pane's first load may put on the wire: its page and the scripts it starts with, as the server
 * sends them precompressed. Gzip is what every browser accepts (Chromium asks for brotli over HTTPS only),
 * so the budget holds for gzip; brotli is smaller still.
 */
const FIRST_LOAD_BUDGET_BYTES = 150 * 1024;
/** Text files the server sends precompressed (@fastify/static's preCompressed picks .br or .gz per request). */
const COMPRESSIBLE = /\.(?:js|css|html|json|svg|txt|xml)$/;

/** Compressed copies of every text asset, so the server never compresses at request time. */
const precompress = () => [
  new CompressionPlugin({
    test: COMPRESSIBLE,
    filename: '[path][base].gz',
    algorithm: 'gzip',
    compressionOptions: { level: zlib.Z_BEST_COMPRESSION },
    threshold: 512,
    minRatio: 0.9
  }),
  new CompressionPlugin({
    test: COMPRESSIBLE,
    filename: '[path][base].br',
    algorithm: 'brotliCompress',
    compressionOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } },
    threshold: 512,
    minRatio: 0.9
  })
];

/**
 * Fails the build when the taskpane entry's page and initial scripts, gzipped, outgrow FIRST_LOAD_BUDGET_BYTES. The
 * user's language (an i18n-* chunk, fetched before the first screen) counts too: the largest of them.
 *
 * Production signs in with Entra ID, and there the pane also fetches MSAL's chunk group before the history can
 * load (it starts with the first screen, in parallel): that first load is counted and reported as well. It is over
 * the budget (MSAL is most of it), so it is a warning, not yet an error; see docs/PERFORMANCE.md.
 */
class FirstLoadBudget {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('FirstLoadBudget', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'FirstLoadBudget', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        () => {
          const scriptsOf = (group) => (group?.getFiles() ?? []).filter((file) => file.endsWith('.js'));
          const sizeOf = (file) => {
            const asset = compilation.getAsset(`${file}.gz`) ?? compilation.getAsset(file);
            return { file: asset?.name ?? file, bytes: asset?.source.size() ?? 0 };
          };
          const languages = compilation
            .getAssets()
            .filter(({ name }) => /^i18n-[a-z]+\.[0-9a-f]+\.js$/.test(name))
            .map(({ name }) => sizeOf(name))
            .sort((a, b) => b.bytes - a.bytes);
          const entry = scriptsOf(compilation.entrypoints.get('taskpane'));
          const firstPaint = [...[...entry, 'taskpane.html'].map(sizeOf), ...languages.slice(0, 1)];
          const msal = scriptsOf(compilation.namedChunkGroups.get('msal')).filter((file) => !entry.includes(file));
          const entra = [...firstPaint, ...msal.map(sizeOf)];
          const over = (sizes, what) => {
            const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
            if (total <= FIRST_LOAD_BUDGET_BYTES) return null;
            const list = sizes.map(({ file, bytes }) => `${file} ${(bytes / 1024).toFixed(1)} KB`).join(', ');
            return new compiler.webpack.WebpackError(
              `The pane's first load ${what} is ${(total / 1024).toFixed(1)} KB gzip, over its budget of ` +
                `${FIRST_LOAD_BUDGET_BYTES / 1024} KB (${list}). Load what the first screen does not need lazily.`
            );
          };
          const paintError = over(firstPaint, 'before its first screen');
          if (paintError) compilation.errors.push(paintError);
          const entraWarning = over(entra, 'in Entra mode (with MSAL, before the history)');
          if (entraWarning) compilation.warnings.push(entraWarning);
        }
      );
    });
  }
}

export default (env, argv) => {
  const production = argv.mode === 'production';
  // Development builds always include the stand-ins; production builds only when asked (`--env standIn`).
  const standIn = !production || Boolean(env.standIn);
  // Named by fixed URLs: the stand-in stands where office.js would; classic Outlook loads launchevent.js by the
  // manifest's Override of the runtime's JavaScript file.
  const FIXED_NAMES = ['office-stand-in', 'launchevent'];
  return {
    mode: production ? 'production' : 'development',
    // No eval-based source maps: the pane's Content Security Policy allows no eval, in development too. Production
    // maps are written beside the bundles for our own use, without the comment that points browsers at them; the
    // production server does not serve them.
    devtool: production ? 'hidden-source-map' : 'cheap-module-source-map',
    entry: {
      taskpane: './src/addin/taskpane/index.tsx',
      'auth-dialog': './src/addin/auth/dialog-page.ts',
      'auth-redirect': './src/addin/auth/redirect-page.ts',
      // The OnMessageSend handler's runtime: launchevent.html (web, new Outlook) and launchevent.js (classic Outlook).
      launchevent: './src/addin/launchevent/launchevent.ts',
      // Outlook's stand-in and the preview page, for trying the pane without Outlook and for browser tests.
      ...(standIn
        ? { 'office-stand-in': './test/stand-ins/office/office.ts', preview: './test/stand-ins/office/preview.tsx' }
        : {})
    },
    output: {
      path: resolve('dist'),
      // The Office stand-in stands where office.js would: a fixed name the server and the browser tests refer to.
      filename: (pathData) =>
        production && !FIXED_NAMES.includes(pathData.chunk?.name ?? '') ? '[name].[contenthash:8].js' : '[name].js',
      chunkFilename: production ? '[name].[contenthash:8].js' : '[name].js',
      clean: true
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      // Sources import siblings as "./x.js" (Node ESM style); here they are the .ts/.tsx files.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] }
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                parser: { syntax: 'typescript', tsx: true },
                target: 'es2020',
                transform: { react: { runtime: 'automatic', development: !production } }
              }
            }
          }
        }
      ]
    },
    optimization: {
      minimizer: [new TerserPlugin({ minify: TerserPlugin.swcMinify, extractComments: false })]
    },
    // The pane's first load must stay small (Microsoft's guidance: load in 500 ms): FirstLoadBudget measures it
    // in compressed bytes, as it travels, and fails the build over budget; webpack's own hints count raw bytes.
    performance: { hints: false },
    plugins: [
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/addin/taskpane/taskpane.html',
        chunks: ['taskpane']
      }),
      // The Office dialog's sign-in page needs Office.js (to message the pane); MSAL's popup redirect page does not.
      new HtmlWebpackPlugin({
        filename: 'auth-dialog.html',
        template: './src/addin/auth/auth.html',
        chunks: ['auth-dialog']
      }),
      new HtmlWebpackPlugin({
        filename: 'launchevent.html',
        templateContent:
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Interaction log</title>' +
          '<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script></head><body></body></html>',
        chunks: ['launchevent']
      }),
      new HtmlWebpackPlugin({
        filename: 'support.html',
        template: './src/addin/support.html',
        chunks: []
      }),
      new CopyWebpackPlugin({ patterns: [{ from: 'assets', to: 'assets', globOptions: { ignore: ['**/*.svg'] } }] }),
      ...(standIn
        ? [
            new HtmlWebpackPlugin({
              filename: 'preview.html',
              template: './test/stand-ins/office/preview.html',
              chunks: ['preview']
            })
          ]
        : []),
      new HtmlWebpackPlugin({
        filename: 'auth-redirect.html',
        templateContent:
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body></body></html>',
        chunks: ['auth-redirect']
      }),
      // Development builds skip compression (the server then sends the files as they are) and the budget.
      ...(production ? [...precompress(), new FirstLoadBudget()] : [])
    ]
  };
};
