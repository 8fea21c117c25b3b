// The cross-service suite: real processes, real HTTP, an in-test Sentry ingest. Runs on built code.
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'platform',
  testMatch: ['<rootDir>/**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/support/timeout.ts'],
};
