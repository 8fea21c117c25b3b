// The container test (npm run test:containers, after engine.sh): the Compose stack built and run.
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  displayName: 'containers',
  testMatch: ['<rootDir>/*.test.ts'],
  // One stack for the whole file; its build alone can take minutes on a fresh machine.
  testTimeout: 300_000,
};
