// Runs every workspace's suite plus the cross-service suite in test/.
module.exports = {
  projects: [
    '<rootDir>/shared',
    '<rootDir>/traffic',
    '<rootDir>/services/*',
    '<rootDir>/tools',
    '<rootDir>/observability/spotlight',
    '<rootDir>/test',
  ],
  testTimeout: 20000,
  // Once for the whole run, whichever projects run: finds the MongoDB the repository tests use, or
  // prints the one line saying why their MongoDB half is skipped (shared/src/test-stores.ts).
  globalSetup: '<rootDir>/test/support/mongo-setup.ts',
  globalTeardown: '<rootDir>/test/support/mongo-teardown.ts',
};
