export { createGraphqlApp, type GraphqlApp, type GraphqlAppOptions } from './graphql-app.ts';
export { UNAUTHORIZED_CLOSE_CODE } from './ws-server.ts';
