/** Known context windows by model-name prefix, longest prefix first. */
const KNOWN: [prefix: string, tokens: number][] = [
  ['gpt-4o-mini', 128_000],
  ['gpt-4o', 128_000],
  ['gpt-4.1', 1_000_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-4', 8_192],
  ['gpt-3.5-turbo', 16_385],
  ['gpt-5', 400_000],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4', 200_000],
  ['memgate-offline', 8_192],
  ['llama3', 8_192],
  ['llama-3', 8_192],
  ['qwen', 32_768],
  ['mistral', 32_768],
];

/** Unknown models get a conservative window; agents can set their own at creation. */
export const DEFAULT_CONTEXT_WINDOW = 8_192;

export function contextWindowFor(model: string): number {
  const name = model.toLowerCase();
  for (const [prefix, tokens] of KNOWN) if (name.startsWith(prefix)) return tokens;
  return DEFAULT_CONTEXT_WINDOW;
}
