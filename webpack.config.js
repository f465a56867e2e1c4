import { resolve } from 'node:path';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import TerserPlugin from 'terser-webpack-plugin';

/*
 * Builds the task pane into dist/. TypeScript goes through SWC (no type-checking here: `npm run
 * typecheck` does that), and the same SWC minifies production builds.
 */
export default (_env, argv) => {
  const production = argv.mode === 'production';
  return {
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-cheap-module-source-map',
    entry: { taskpane: './src/addin/taskpane/index.tsx' },
    output: {
      path: resolve('dist'),
      filename: production ? '[name].[contenthash:8].js' : '[name].js',
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
    plugins: [
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/addin/taskpane/taskpane.html',
        chunks: ['taskpane']
      })
    ]
  };
};
