export * from './catalogue';
export * from './runner';
