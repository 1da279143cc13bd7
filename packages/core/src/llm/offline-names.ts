// The offline model's whole "understanding": a few fixed patterns, so demos and tests are repeatable.

const MY_NAME_IS = /\bmy\s+name(?:\s+is|'s|’s)\s+/i;
const I_AM = /(?:^|[^\p{L}])(?:i'm|i’m|i\s+am)\s+/iu;
const FIRST_WORD = /^\p{L}[\p{L}\p{M}'’-]*/u;
const CAPITALISED_WORD = /^\s+\p{Lu}[\p{L}\p{M}'’-]*/u;
const SENTENCE_END = /^\s*(?:$|[.,!?;:])/;
const NAME_QUESTION =
  /\bwhat(?:'s|’s|\s+is)\s+my\s+name\b|\bdo\s+you\s+(?:still\s+)?(?:remember|know)\s+my\s+name\b|\bwho\s+am\s+i\b/i;
const HUMAN_BLOCK = /<human\b[^>]*>([\s\S]*?)<\/human>/i;
const NAME_LINE = /^[ \t]*(Name:[ \t]*(\S[^\n]*?))[ \t]*$/m;
/** Words that follow "I'm" far more often than names do. */
const NOT_NAMES = new Set(
  'sorry fine good ok okay here back not so very just happy glad sure ready done tired hungry new lost still also really a an the'.split(
    ' ',
  ),
);

/** Reads a name and up to two more capitalised words ("Mary Jane"); returns it and the rest of the text. */
function readName(text: string, firstMustBeCapitalised: boolean): { name: string; rest: string } | null {
  const first = FIRST_WORD.exec(text)?.[0];
  if (!first || (firstMustBeCapitalised && first[0] !== first[0]?.toUpperCase())) return null;
  const words = [first];
  let rest = text.slice(first.length);
  for (let extra = 0; extra < 2; extra++) {
    const next = CAPITALISED_WORD.exec(rest)?.[0];
    if (!next) break;
    words.push(next.trim());
    rest = rest.slice(next.length);
  }
  const name = words.join(' ').replace(/['’-]+$/, '');
  return { name: name.charAt(0).toUpperCase() + name.slice(1), rest };
}

/**
 * The name in "my name is X" (any case), or in "I'm X" / "I am X" when X is capitalised, not a common
 * adjective, and ends the phrase ("I'm Alice." yes, "I'm Going home" no); null otherwise.
 */
export function parseNameStatement(text: string): string | null {
  const explicit = MY_NAME_IS.exec(text);
  if (explicit) return readName(text.slice(explicit.index + explicit[0].length), false)?.name ?? null;
  const introduction = I_AM.exec(text);
  if (!introduction) return null;
  const candidate = readName(text.slice(introduction.index + introduction[0].length), true);
  if (!candidate || NOT_NAMES.has(candidate.name.split(' ')[0]!.toLowerCase())) return null;
  return SENTENCE_END.test(candidate.rest) ? candidate.name : null;
}

/** True for "what is my name", "what's my name", "do you remember my name", "who am I". */
export function isNameQuestion(text: string): boolean {
  return NAME_QUESTION.test(text);
}

/** The `Name: X` line of the human memory block rendered in the system prompt, if any. */
export function findKnownName(systemPrompt: string): { line: string; name: string } | null {
  const human = HUMAN_BLOCK.exec(systemPrompt)?.[1];
  if (human === undefined) return null;
  const match = NAME_LINE.exec(human);
  return match?.[1] && match[2] ? { line: match[1], name: match[2] } : null;
}

/** The name in a memory call's `Name: X` content. */
export function nameFromMemoryContent(content: unknown): string | null {
  if (typeof content !== 'string') return null;
  return /^Name:\s*(.+)$/m.exec(content)?.[1]?.trim() || null;
}
