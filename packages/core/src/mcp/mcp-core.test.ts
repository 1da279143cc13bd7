import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { ConfigError } from '../config-error.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { McpSecrets } from './mcp-secrets.ts';
import { loadMcpServersFile } from './mcp-servers-file.ts';
import { mcpToolEntries, requiresApproval } from './mcp-tool-listing.ts';
import { isPrivateAddress, mcpUrlProblem } from './url-guard.ts';

describe('the SSRF guard', () => {
  it('knows loopback, link-local, private, unspecified and mapped addresses from public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('checks the scheme always and the address unless private ones are allowed', async () => {
    expect(await mcpUrlProblem('ftp://example.com', true)).toMatch(/http/);
    expect(await mcpUrlProblem('http://127.0.0.1:9/mcp', false)).toMatch(/MEMGATE_MCP_ALLOW_PRIVATE/);
    expect(await mcpUrlProblem('http://localhost/mcp', false)).toMatch(/private/);
    expect(await mcpUrlProblem('http://127.0.0.1:9/mcp', true)).toBeNull();
    expect(await mcpUrlProblem('https://93.184.215.14/mcp', false)).toBeNull();
    expect(await mcpUrlProblem('https://name.invalid/mcp', false)).toMatch(/does not resolve/);
  });
});

describe('header encryption', () => {
  const headers = { Authorization: 'Bearer secret-token' };

  it('round-trips, never holds the value in clear, and binds the ciphertext to its row', () => {
    const secrets = new McpSecrets('k'.repeat(32));
    const sealed = secrets.encrypt(headers, 'mcp-1');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('secret-token');
    expect(secrets.encrypt(headers, 'mcp-1')).not.toBe(sealed);
    expect(secrets.decrypt(sealed, 'mcp-1')).toEqual(headers);
    expect(() => secrets.decrypt(sealed, 'mcp-2')).toThrow(MemgateError);
  });

  it('refuses to decrypt under another key (409) and to encrypt without one (422)', () => {
    const sealed = new McpSecrets('k'.repeat(32)).encrypt(headers, 'mcp-1');
    const other = new McpSecrets('o'.repeat(32));
    expect(() => other.decrypt(sealed, 'mcp-1')).toThrow(
      expect.objectContaining({ code: 'CONFLICT', detailCode: 'mcp_headers_unreadable' }),
    );
    const none = new McpSecrets(undefined);
    expect(none.configured).toBe(false);
    expect(() => none.encrypt(headers, 'mcp-1')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', detailCode: 'secret_key_not_configured', param: 'headers' }),
    );
  });
});

describe('the operator’s MCP servers file', () => {
  const write = (content: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'memgate-mcp-file-')), 'mcp.yaml');
    writeFileSync(path, content);
    return path;
  };
  const file = write(`servers:
  - name: local
    transport: stdio
    command: node
    args: [server.js]
    require_approval: never
  - name: remote
    transport: sse
    url: https://mcp.example.com/sse
    headers: { Authorization: Bearer x }
`);

  it('reads remote and (with MEMGATE_MCP_STDIO=1) stdio servers, with defaults', () => {
    expect(loadMcpServersFile(file, true)).toEqual([
      {
        name: 'local',
        transport: 'stdio',
        command: 'node',
        args: ['server.js'],
        env: {},
        allowedTools: null,
        requireApproval: 'never',
        timeoutMs: 30_000,
      },
      {
        name: 'remote',
        transport: 'sse',
        url: 'https://mcp.example.com/sse',
        headers: { Authorization: 'Bearer x' },
        allowedTools: null,
        requireApproval: 'always',
        timeoutMs: 30_000,
      },
    ]);
  });

  it('refuses a stdio server without MEMGATE_MCP_STDIO=1, and bad fields, with one line naming them', () => {
    expect(() => loadMcpServersFile(file, false)).toThrow(ConfigError);
    expect(() => loadMcpServersFile(file, false)).toThrow(/MEMGATE_MCP_STDIO=1/);
    expect(() =>
      loadMcpServersFile(write('servers:\n  - name: a b\n    transport: sse\n    url: https://x\n'), true),
    ).toThrow(/servers\[0\]\.name/);
    expect(() =>
      loadMcpServersFile(write('servers:\n  - name: a\n    transport: sse\n    url: ftp://x\n'), true),
    ).toThrow(/servers\[0\]\.url/);
    expect(() => loadMcpServersFile('/nonexistent/mcp.yaml', true)).toThrow(/ENOENT/);
  });

  it('is read by loadConfig with the MCP variables, which are checked like every other', () => {
    expect(() => loadConfig({ MEMGATE_MCP_SERVERS_FILE: file })).toThrow(/MEMGATE_MCP_STDIO=1/);
    const config = loadConfig({
      MEMGATE_MCP_SERVERS_FILE: file,
      MEMGATE_MCP_STDIO: '1',
      MEMGATE_MCP_ALLOW_PRIVATE: '1',
    });
    expect(config.mcp).toMatchObject({
      allowPrivate: true,
      secretKey: undefined,
      maxSessionsPerUser: 16,
      sessionIdleMs: 1_800_000,
    });
    expect(config.mcp.fileServers.map((server) => server.name)).toEqual(['local', 'remote']);
    expect(() => loadConfig({ MEMGATE_SECRET_KEY: 'short' })).toThrow(/MEMGATE_SECRET_KEY="\*\*\* \(5 characters\)"/);
    expect(() => loadConfig({ MEMGATE_MCP_ALLOW_PRIVATE: 'yes' })).toThrow(/MEMGATE_MCP_ALLOW_PRIVATE/);
    expect(loadConfig({}).mcp).toMatchObject({ allowPrivate: false, fileServers: [] });
  });
});

describe('tool listing', () => {
  it('prefixes names, applies allowed_tools and require_approval, and warns about tools a model cannot use', () => {
    const entries = mcpToolEntries({ name: 'srv', allowedTools: ['a'], requireApproval: ['b'] }, [
      { name: 'a', description: null, inputSchema: { type: 'object' } },
      { name: 'b', description: 'B', inputSchema: { type: 'object', properties: {} } },
      { name: 'x'.repeat(60), description: null, inputSchema: { type: 'object' } },
      { name: 'd', description: null, inputSchema: 'nope' },
      { name: 'e', description: null, inputSchema: { type: 'string' } },
    ]);
    expect(
      entries.map((entry) => [entry.name.slice(0, 10), entry.allowed, entry.requiresApproval, entry.usable]),
    ).toEqual([
      ['srv__a', true, false, true],
      ['srv__b', false, true, true],
      ['srv__xxxxx', false, false, false],
      ['srv__d', false, false, false],
      ['srv__e', false, false, false],
    ]);
    expect(entries[2]?.warning).toMatch(/longer than 64/);
    expect(entries[3]?.warning).toMatch(/not a JSON Schema object/);
    expect(requiresApproval('always', 'z')).toBe(true);
    expect(requiresApproval('never', 'z')).toBe(false);
  });
});
