// The one Jest preset: every workspace's jest.config.js spreads it.
// Tests run against TypeScript sources (ts-jest, transpile only); `npm run typecheck` checks their types.
const path = require('node:path');

const shared = path.join(__dirname, 'shared', 'src');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
  },
  moduleNameMapper: {
    '^@casino/shared$': path.join(shared, 'index.ts'),
    '^@casino/shared/(.*)$': path.join(shared, '$1'),
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  clearMocks: true,
};
