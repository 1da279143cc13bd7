export { createGraphqlApp, type GraphqlApp, type GraphqlAppOptions } from './graphql-app.ts';
export { DEFAULT_GRAPHQL_LIMITS, type GraphqlLimits } from './operation-limits.ts';
export { UNAUTHORIZED_CLOSE_CODE } from './ws-server.ts';
