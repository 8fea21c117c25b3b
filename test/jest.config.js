// The cross-service suite: real processes, real HTTP, an in-test Sentry ingest. Runs on built code.
// test/containers/ (the Compose stack for real) runs apart: npm run test:containers.
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'platform',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/containers/'],
  setupFilesAfterEnv: ['<rootDir>/support/timeout.ts'],
};
