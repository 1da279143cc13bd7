export { publicOnlyFetch } from './guarded-fetch.ts';
export { SdkMcpClientPool, type SdkMcpClientPoolOptions } from './sdk-client-pool.ts';
export { toolResultText } from './tool-result-text.ts';
