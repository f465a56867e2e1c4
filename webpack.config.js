import { resolve } from 'node:path';
import { constants as zlib } from 'node:zlib';
import CompressionPlugin from 'compression-webpack-plugin';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import { GriffelCSSExtractionPlugin } from '@griffel/webpack-extraction-plugin';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import TerserPlugin from 'terser-webpack-plugin';

/*
 * Builds the task pane into dist/. TypeScript goes through SWC (no type-checking here: `npm run
 * typecheck` does that), and the same SWC minifies production builds.
 */
/**
 * Bytes the pane's first load may put on the wire: its page and the scripts it loads before the history shows, as the
 * server sends them precompressed (issue 18).
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
 * Fails the build when the pane's first load outgrows FIRST_LOAD_BUDGET_BYTES: its page, the taskpane entry's scripts
 * and stylesheet, and the user's language (an i18n-* chunk, fetched before the first screen; the largest of them).
 * Counted twice:
 * - as production sends it, brotli: production runs in Entra mode over HTTPS, and every webview Outlook runs add-ins in
 *   (WebView2 on Windows, WKWebView on Mac and iOS, Chromium's on Android, the browser itself on the web) asks for
 *   brotli over HTTPS. Entra mode loads nothing else before the history: the silent sign-in goes through Outlook's
 *   NAA bridge without MSAL, whose chunk loads only when the bridge cannot do (src/addin/auth/tokens.ts);
 * - gzip, which every browser accepts, as dev mode may be served (plain HTTP on localhost).
 */
class FirstLoadBudget {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('FirstLoadBudget', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'FirstLoadBudget', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        () => {
          const sizesIn = (encoding) => (file) => {
            const asset = compilation.getAsset(`${file}.${encoding}`) ?? compilation.getAsset(file);
            return { file: asset?.name ?? file, bytes: asset?.source.size() ?? 0 };
          };
          const languages = compilation
            .getAssets()
            .map(({ name }) => name)
            .filter((name) => /^i18n-[a-z]+\.[0-9a-f]+\.js$/.test(name));
          // The entry's scripts and its stylesheet (every style of the pane, extracted by Griffel), both loaded before
          // the first screen.
          const entry = (compilation.entrypoints.get('taskpane')?.getFiles() ?? []).filter((file) =>
            /\.(?:js|css)$/.test(file)
          );
          const firstLoad = (encoding) => {
            const largest = languages.map(sizesIn(encoding)).sort((a, b) => b.bytes - a.bytes);
            return [...[...entry, 'taskpane.html'].map(sizesIn(encoding)), ...largest.slice(0, 1)];
          };
          const over = (sizes, what) => {
            const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
            if (total <= FIRST_LOAD_BUDGET_BYTES) return null;
            const list = sizes.map(({ file, bytes }) => `${file} ${(bytes / 1024).toFixed(1)} KB`).join(', ');
            return new compiler.webpack.WebpackError(
              `The pane's first load ${what} is ${(total / 1024).toFixed(1)} KB, over its budget of ` +
                `${FIRST_LOAD_BUDGET_BYTES / 1024} KB (${list}). Load what the first screen and the history do not need lazily.`
            );
          };
          for (const error of [
            over(firstLoad('br'), 'in production (Entra mode, brotli, before the history)'),
            over(firstLoad('gz'), 'gzip (dev mode, or a browser without brotli)')
          ]) {
            if (error) compilation.errors.push(error);
          }
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
        // Styles are made at build time, not in the user's browser (issue 18: resolving and inserting them one rule at
        // a time cost the first screen about 45 ms after Office.onReady). Loaders run last rule first: SWC turns our
        // TypeScript into JavaScript, Griffel's ahead-of-time loader precomputes our makeStyles, and its extraction
        // loader moves those and Fluent's own precompiled styles into one stylesheet the page links. Both are
        // Griffel's own build-time path (its README; the extraction plugin is marked experimental there, and
        // test/e2e/pane.test.ts checks that no style is made in the browser). package.json's `overrides` keep the
        // loader's linaria on Babel 7, which it was written for.
        {
          test: /\.(?:js|mjs|ts|tsx)$/,
          include: [/node_modules[\\/]@fluentui[\\/]/, resolve('src'), resolve('test')],
          use: { loader: GriffelCSSExtractionPlugin.loader }
        },
        { test: /\.tsx?$/, exclude: /node_modules/, use: { loader: '@griffel/webpack-loader' } },
        { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
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
      // Griffel orders the rules itself: mini-css-extract's own order warnings do not apply (the plugin's README).
      new MiniCssExtractPlugin({
        filename: production ? '[name].[contenthash:8].css' : '[name].css',
        ignoreOrder: true
      }),
      new GriffelCSSExtractionPlugin(),
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
