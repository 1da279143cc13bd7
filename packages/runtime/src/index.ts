export { banner, createRuntime, type Runtime } from './runtime.ts';
