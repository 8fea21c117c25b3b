// Starting five processes takes seconds on a 2-core machine; Jest's testTimeout is global only.
jest.setTimeout(120_000);
