import { resolve } from 'node:path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import TerserPlugin from 'terser-webpack-plugin';

/*
 * Builds the task pane into dist/. TypeScript goes through SWC (no type-checking here: `npm run
 * typecheck` does that), and the same SWC minifies production builds.
 */
/** Uncompressed bytes of JavaScript the pane may load first (about 150 KB gzip). */
const PANE_BUDGET_BYTES = 560 * 1024;

export default (env, argv) => {
  const production = argv.mode === 'production';
  // Development builds always include the stand-ins; production builds only when asked (`--env standIn`).
  const standIn = !production || Boolean(env.standIn);
  // Named by fixed URLs: the stand-in stands where office.js would; classic Outlook loads launchevent.js by the
  // manifest's Override of the runtime's JavaScript file.
  const FIXED_NAMES = ['office-stand-in', 'launchevent'];
  return {
    mode: production ? 'production' : 'development',
    // No eval-based source maps: the pane's Content Security Policy allows no eval, in development too.
    devtool: production ? 'source-map' : 'cheap-module-source-map',
    entry: {
      taskpane: './src/addin/taskpane/index.tsx',
      'auth-dialog': './src/addin/auth/dialog-page.ts',
      'auth-redirect': './src/addin/auth/redirect-page.ts',
      // The OnMessageSend handler's runtime: launchevent.html (web, new Outlook) and launchevent.js (classic Outlook).
      launchevent: './src/addin/launchevent/launchevent.ts',
      // Outlook's stand-in and the preview page, for trying the pane without Outlook and for browser tests.
      ...(standIn
        ? { 'office-stand-in': './test/office-stand-in/office.ts', preview: './test/office-stand-in/preview.tsx' }
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
    // The pane's first load must stay small (Microsoft's guidance: load in 500 ms): over budget fails the build.
    performance: {
      hints: production ? 'error' : false,
      maxEntrypointSize: PANE_BUDGET_BYTES,
      maxAssetSize: PANE_BUDGET_BYTES,
      assetFilter: (file) => file.endsWith('.js')
    },
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
              template: './test/office-stand-in/preview.html',
              chunks: ['preview']
            })
          ]
        : []),
      new HtmlWebpackPlugin({
        filename: 'auth-redirect.html',
        templateContent:
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body></body></html>',
        chunks: ['auth-redirect']
      })
    ]
  };
};
