import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/*
 * SSRF guard for MCP server URLs: a user's server may not point memgate at its own host or
 * network (loopback, link-local such as cloud metadata at 169.254.169.254, private ranges,
 * unspecified, CGNAT, ULA) unless the operator allows it (MEMGATE_MCP_ALLOW_PRIVATE=1).
 */

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** True for an address memgate must not connect to on a user's behalf (see above). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  // IPv4-mapped (::ffff:127.0.0.1) and IPv4-compatible addresses are checked as the IPv4 they hold.
  const mapped = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

/** Why a URL may not be used, or null when it may: the scheme, then every address its host resolves to. */
export async function mcpUrlProblem(value: string, allowPrivate: boolean): Promise<string | null> {
  if (!URL.canParse(value)) return 'Not a valid URL.';
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `An MCP server URL must be http:// or https://; got "${url.protocol}".`;
  }
  if (url.username || url.password) return 'Put credentials in `headers`, not in the URL (it is shown in answers).';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return `The host "${host}" does not resolve.`;
  }
  const blocked = addresses.find(isPrivateAddress);
  if (blocked === undefined) return null;
  return `The host "${host}" is a loopback, link-local or private address (${blocked}); memgate connects only to public addresses unless the operator sets MEMGATE_MCP_ALLOW_PRIVATE=1.`;
}
