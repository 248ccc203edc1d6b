/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    '^.+\\.js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  // The ES-module-only packages the server loads: @nestjs 12, and content-disposition (through @fastify/static, for the OpenAPI page).
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|content-disposition)/)'],
  // The host-gateway example imports the package by its name, as a gateway would.
  moduleNameMapper: { '^unipay-sync$': '<rootDir>/src/index.ts' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
