// The one ESLint flat config for every workspace.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'shared/src/public-api.ts', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/test/**/*.ts', 'scripts/**/*.ts', '**/src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  // Only a service's scenarios/ folder reads the scenario state or marks a request: its routes, use
  // cases, rules and repositories reach a fault through the hooks it offers (the catalogue is data).
  {
    files: ['services/*/src/{api,use-cases,domain,data}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@casino/shared',
              importNames: ['Scenarios', 'scenarioApplied', 'appliedScenarios'],
              message: "Scenario state belongs in the service's scenarios/ folder: call one of its hooks.",
            },
          ],
          patterns: [
            {
              regex: '^@casino/shared/scenarios(/(index|state|marking|route|error-burst|cache-outage))?$',
              message: "Scenario state belongs in the service's scenarios/ folder: call one of its hooks.",
            },
          ],
        },
      ],
    },
  },
  // The web frontend: browser code, React's rules of hooks.
  {
    files: ['frontend/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['frontend/vite.config.ts'], languageOptions: { globals: { ...globals.node } } },
  // Layout is Prettier's (npm run format): the rules it would fight are off.
  prettier,
);
