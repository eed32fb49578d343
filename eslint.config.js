// Lint enforces where each file may run (Signal-Desktop style): the contract is pure
// TypeScript, the renderer never reaches electron/node/server code, the server never
// imports renderer or electron code, and native modules stay out of the Electron bundle.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ['error', { patterns: patterns.map((group) => ({ group: [group.from], message: group.why })) }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results.json', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { from: 'electron', why: 'The contract is pure TypeScript.' },
        { from: 'node:*', why: 'The contract is pure TypeScript.' },
        { from: 'react', why: 'The contract is pure TypeScript.' },
        { from: '**/server/**', why: 'The contract is pure TypeScript.' },
        { from: '**/renderer/**', why: 'The contract is pure TypeScript.' },
        { from: '**/electron/**', why: 'The contract is pure TypeScript.' },
      ]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        { from: 'electron', why: 'The renderer reaches desktop powers only through window.bullpen (platform/).' },
        { from: 'node:*', why: 'The renderer runs in a sandboxed page.' },
        { from: '**/server/**', why: 'The renderer talks to the server over HTTP and socket.io only.' },
        { from: '**/electron/**', why: 'The renderer reaches desktop powers only through window.bullpen.' },
        { from: 'socket.io', why: 'Use socket.io-client in the renderer.' },
      ]),
    },
  },
  {
    // The renderer's unit tests run its modules in Node but hold them to the page's rules.
    files: ['tests/unit/renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrict([
        { from: 'electron', why: 'Renderer code never reaches electron.' },
        { from: 'node:*', why: 'Renderer code runs in a sandboxed page; test its pure logic.' },
        { from: '**/server/**', why: 'The renderer talks to the server over HTTP and socket.io only.' },
        { from: '**/electron/**', why: 'The renderer reaches desktop powers only through window.bullpen.' },
      ]),
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { from: 'electron', why: 'The server never imports electron.' },
        { from: '**/renderer/**', why: 'The server never imports renderer code.' },
        { from: '**/electron/**', why: 'The server never imports electron code.' },
        { from: 'react', why: 'The server never imports renderer code.' },
      ]),
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { from: '**/server/**', why: 'The desktop app reaches the server over the network only.' },
        { from: '**/renderer/**', why: 'Main/preload never import renderer code.' },
        { from: 'better-sqlite3', why: 'Native modules belong to the server, never the Electron bundle.' },
        { from: 'node-datachannel', why: 'Native modules belong to the server, never the Electron bundle.' },
      ]),
    },
  },
  {
    files: ['tests/e2e/**/*.ts', 'tests/helpers/**/*.ts', 'renderer/**/*.d.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
