export { createRestApp, type RestAppOptions } from './rest-app.ts';
