/** `embedding_model` → `embeddingModel`. */
function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * A REST object with its keys in camelCase, deeply, as the GraphQL types name the same fields,
 * so a test can compare a GraphQL answer with REST's for the same state.
 */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [camel(key), camelKeys(item)]));
}
