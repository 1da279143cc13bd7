import { describe, expect, it } from 'vitest';
import { findKnownName, isNameQuestion, parseNameStatement } from './offline-names.ts';

describe('offline name patterns', () => {
  it.each([
    ['My name is Alice', 'Alice'],
    ['hi, my name is alice.', 'Alice'],
    ["my name's dave", 'Dave'],
    ['My name is Mary Jane Watson and I like tea', 'Mary Jane Watson'],
    ["I'm Bob", 'Bob'],
    ['Hello! I am Zoë, nice to meet you', 'Zoë'],
    ['I’m Jean-Luc.', 'Jean-Luc'],
  ])('reads the name in %j', (text, name) => {
    expect(parseNameStatement(text)).toBe(name);
  });

  it.each([
    'I am fine',
    "I'm Sorry.",
    "I'm Going home",
    'i am bob',
    'what is my name?',
    'The name is Bond',
    'Miami is warm',
  ])('finds no name in %j', (text) => {
    expect(parseNameStatement(text)).toBeNull();
  });

  it('recognises name questions', () => {
    for (const text of ['What is my name?', "what's my name", 'Do you remember my name?', 'who am I']) {
      expect(isNameQuestion(text)).toBe(true);
    }
    expect(isNameQuestion('what is your name?')).toBe(false);
  });

  it('reads the Name line of the human block only', () => {
    const prompt = '<persona>\nName: Sam\n</persona>\n(human: 20/5000)\n<human>\nLikes tea\nName:  Alice \n</human>';
    expect(findKnownName(prompt)).toEqual({ line: 'Name:  Alice', name: 'Alice' });
    expect(findKnownName('<persona>\nName: Sam\n</persona>\n<human>\n\n</human>')).toBeNull();
  });
});
