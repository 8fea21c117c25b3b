// Runs every workspace's suite plus the cross-service suite in test/.
module.exports = {
  projects: ['<rootDir>/shared', '<rootDir>/services/*', '<rootDir>/test'],
  testTimeout: 20000,
};
