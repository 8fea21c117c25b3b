// The one Jest preset: every workspace's jest.config.js spreads it.
// Tests run against TypeScript sources (ts-jest, transpile only); `npm run typecheck` checks their types.
const path = require('node:path');

const src = (workspace) => path.join(__dirname, workspace, 'src');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
  },
  moduleNameMapper: {
    '^@casino/shared$': path.join(src('shared'), 'index.ts'),
    '^@casino/shared/(.*)$': path.join(src('shared'), '$1'),
    '^@casino/traffic/(.*)$': path.join(src('traffic'), '$1'),
    '^@casino/tools/(.*)$': path.join(src('tools'), '$1'),
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  clearMocks: true,
};
