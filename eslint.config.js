import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * One door per feature (issue 15). Another feature may import only these files of a feature (paths
 * inside src/features/<feature>/, without extension); everything else in a feature is its own
 * business. Routes (routes.ts, *-routes.ts) and pages are never doors: the app mounts them. Adding a
 * door is a decision: add it here, in the same change, and keep doors small (a store, a service, one
 * verb). Tests may reach into other features to set up what they test.
 */
const doors = {
  agreement: ['dates', 'document-model', 'document', 'render', 'service', 'terms', 'versions'],
  audit: ['chain'],
  auth: ['api-keys', 'guard', 'invites', 'passwords', 'sessions'],
  breaches: ['service'],
  contacts: ['file/values', 'history', 'store', 'suppression', 'upsert-contact'],
  distribution: ['send'],
  followups: ['index'],
  integrations: ['events', 'webhooks'],
  keys: ['erase', 'key-export'],
  labelling: ['index', 'results', 'run'],
  plans: ['limits'],
  register: ['service', 'vocabulary'],
  requests: ['erase', 'links', 'service'],
  respond: ['flow', 'lookup'],
  results: ['public', 'scores', 'stats'],
  security: ['measures'],
  subprocessors: ['eea', 'service'],
  surveys: ['answers', 'definition', 'open-link', 'store'],
  suspension: ['suspension'],
};

const featureDoors = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      door: '{{target}} is not a door of the {{feature}} feature; use one of its doors ({{doors}}) or add one in eslint.config.js.',
    },
  },
  create(context) {
    const own = /^src\/features\/([^/]+)\//.exec(relative(root, context.filename).split('\\').join('/'));
    if (!own) return {};
    const check = (source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = relative(resolve(root, 'src/features'), resolve(dirname(context.filename), source.value))
        .split('\\')
        .join('/');
      const [feature, ...rest] = target.split('/');
      if (feature === own[1] || feature.startsWith('..') || rest.length === 0) return;
      const file = rest.join('/').replace(/\.(js|ts|tsx)$/, '');
      const open = doors[feature] ?? [];
      if (!open.includes(file))
        context.report({
          node: source,
          messageId: 'door',
          data: { target: `features/${feature}/${file}`, feature, doors: open.join(', ') || 'none' },
        });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'web/dist/**', 'scratch/**', 'web/src/api.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  { files: ['web/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // lib/ is shared by every feature and must never depend on one (Cal.com PR #24399).
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/features/**'], message: 'src/lib must not import a feature.' }] },
      ],
    },
  },
  {
    // Only the env module reads process.env.
    files: ['src/**/*.ts'],
    ignores: ['src/lib/env.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration from src/lib/env.ts.' },
      ],
    },
  },
  {
    // A feature reaches another feature only through its doors (see `doors` above).
    files: ['src/features/**/*.ts'],
    ignores: ['src/features/**/*.test.ts'],
    plugins: { peil: { rules: { 'feature-doors': featureDoors } } },
    rules: { 'peil/feature-doors': 'error' },
  },
  {
    // One statement of who may call a route: its `config.access`, enforced once by the access hook
    // (features/auth/access.ts). A handler reads the resolved caller (callerOf, operatorOf, sessionOf)
    // and checks a further permission only with requirePermission, never by resolving the caller again.
    files: ['src/**/*.ts'],
    ignores: ['src/features/auth/access.ts', 'src/features/auth/guard.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.name=/^require(User|Operator)$/]',
          message:
            "The access hook has checked the route's config.access: read the caller with callerOf/operatorOf(request); a further permission is requirePermission(request, …).",
        },
      ],
    },
  },
  // Formatting is Prettier's (`prettier --check` in lint); switch off the style rules it owns.
  prettier,
);
