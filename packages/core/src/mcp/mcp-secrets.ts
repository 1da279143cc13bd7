import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError } from '../errors/validation.ts';

const VERSION = 'v1';
// A fixed salt: the key must be the same on every instance and every start, from the secret alone.
const SALT = 'memgate/mcp-server-headers/v1';

/**
 * Encrypts MCP server headers at rest with AES-256-GCM, under a key derived (scrypt) from
 * MEMGATE_SECRET_KEY. The row's id is the additional authenticated data: a ciphertext copied to
 * another row does not decrypt. Without a secret, nothing can be stored that needs one.
 */
export class McpSecrets {
  readonly #key: Buffer | null;

  constructor(secret: string | undefined) {
    this.#key = secret ? scryptSync(secret, SALT, 32) : null;
  }

  get configured(): boolean {
    return this.#key !== null;
  }

  /** `v1:<iv>:<tag>:<ciphertext>` (base64url); a 422 at `body.headers` when no secret is set. */
  encrypt(headers: Record<string, string>, rowId: string): string {
    const key = this.#requireKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(rowId));
    const body = Buffer.concat([cipher.update(JSON.stringify(headers), 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /** The headers; CONFLICT (`mcp_headers_unreadable`) when the secret changed since they were stored. */
  decrypt(sealed: string, rowId: string): Record<string, string> {
    const key = this.#requireKey();
    const [version, iv, tag, body] = sealed.split(':');
    try {
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(rowId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(text) as Record<string, string>;
    } catch (error) {
      throw new MemgateError(
        'CONFLICT',
        'The headers of this MCP server cannot be decrypted: MEMGATE_SECRET_KEY changed since they were stored. Set them again with PATCH.',
        { detailCode: 'mcp_headers_unreadable', cause: error },
      );
    }
  }

  #requireKey(): Buffer {
    if (this.#key) return this.#key;
    throw fieldError(
      ['body', 'headers'],
      'This memgate cannot store MCP server headers: the operator has not set MEMGATE_SECRET_KEY, the key they are encrypted with.',
      'secret_key_not_configured',
    );
  }
}
