/** Incremental decoder for one top-level string field of a JSON object that arrives in pieces. */
export interface JsonStringFieldExtractor {
  /** Feeds the next piece of the JSON text; returns the field's newly decoded characters (often ''). */
  push(piece: string): string;
}

type Mode = 'start' | 'key-or-end' | 'key' | 'colon' | 'value' | 'skip' | 'field' | 'done';

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HEX4 = /^[0-9a-fA-F]{4}$/;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\n' || char === '\r' || char === '\t';
}

/**
 * Creates an extractor for `field`, e.g. the `message` argument of `send_message`, so its text can be
 * streamed while the upstream is still generating the arguments. Tolerant by design: malformed input
 * ends extraction instead of throwing, since the complete arguments are validated later anyway.
 */
export function createJsonStringFieldExtractor(field: string): JsonStringFieldExtractor {
  let mode: Mode = 'start';
  let key = '';
  // String-decoding state, shared by keys and the field value (never active at once).
  let escapeState: 'none' | 'backslash' | 'unicode' = 'none';
  let hexDigits = '';
  // Skipping state for the values of other fields.
  let depth = 0;
  let inSkippedString = false;
  let skippedEscape = false;
  // A high surrogate held back so no output piece ends half-way through a surrogate pair.
  let heldSurrogate = '';

  /** Decodes one string character; returns the decoded text, or null at the closing quote. */
  function decodeStringChar(char: string): string | null {
    if (escapeState === 'backslash') {
      if (char === 'u') {
        escapeState = 'unicode';
        hexDigits = '';
        return '';
      }
      escapeState = 'none';
      return SIMPLE_ESCAPES[char] ?? char;
    }
    if (escapeState === 'unicode') {
      hexDigits += char;
      if (hexDigits.length < 4) return '';
      escapeState = 'none';
      return HEX4.test(hexDigits) ? String.fromCharCode(Number.parseInt(hexDigits, 16)) : hexDigits;
    }
    if (char === '\\') {
      escapeState = 'backslash';
      return '';
    }
    return char === '"' ? null : char;
  }

  /** Decodes field characters from `start`, appending to output; returns the index after what it used. */
  function decodeField(piece: string, start: number, emit: (text: string) => void): number {
    let index = start;
    while (index < piece.length) {
      if (escapeState === 'none') {
        // Copy plain runs in one slice: this is the hot path while a reply streams.
        let end = index;
        while (end < piece.length && piece[end] !== '"' && piece[end] !== '\\') end++;
        if (end > index) emit(piece.slice(index, end));
        index = end;
        if (index >= piece.length) break;
      }
      const decoded = decodeStringChar(piece[index]!);
      index++;
      if (decoded === null) {
        mode = 'done';
        return index;
      }
      emit(decoded);
    }
    return index;
  }

  function skipChar(char: string): void {
    if (inSkippedString) {
      if (skippedEscape) skippedEscape = false;
      else if (char === '\\') skippedEscape = true;
      else if (char === '"') inSkippedString = false;
      return;
    }
    if (char === '"') inSkippedString = true;
    else if (char === '{' || char === '[') depth++;
    else if ((char === '}' || char === ']') && depth > 0) depth--;
    else if (char === '}') mode = 'done';
    else if (char === ',' && depth === 0) mode = 'key-or-end';
  }

  function structuralChar(char: string): void {
    switch (mode) {
      case 'start':
        if (!isWhitespace(char)) mode = char === '{' ? 'key-or-end' : 'done';
        return;
      case 'key-or-end':
        if (char === '"') {
          mode = 'key';
          key = '';
        } else if (!isWhitespace(char) && char !== ',') mode = 'done';
        return;
      case 'key': {
        const decoded = decodeStringChar(char);
        if (decoded === null) mode = 'colon';
        else key += decoded;
        return;
      }
      case 'colon':
        if (!isWhitespace(char)) mode = char === ':' ? 'value' : 'done';
        return;
      case 'value':
        if (isWhitespace(char)) return;
        if (key === field && char === '"') {
          mode = 'field';
          return;
        }
        mode = 'skip';
        depth = 0;
        skipChar(char);
        return;
      case 'skip':
        skipChar(char);
        return;
      default:
        return;
    }
  }

  return {
    push(piece: string): string {
      let output = heldSurrogate;
      heldSurrogate = '';
      const emit = (text: string): void => {
        output += text;
      };
      let index = 0;
      while (index < piece.length && mode !== 'done') {
        if (mode === 'field') {
          index = decodeField(piece, index, emit);
        } else {
          structuralChar(piece[index]!);
          index++;
        }
      }
      if (mode === 'field' && output.length > 0 && isHighSurrogate(output.charCodeAt(output.length - 1))) {
        heldSurrogate = output.slice(-1);
        output = output.slice(0, -1);
      }
      return output;
    },
  };
}
