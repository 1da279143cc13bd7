import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from '@memgate/core';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * A fetch whose connections refuse loopback, link-local and private addresses as they are made:
 * the URL was checked when saved and again before connecting, but DNS can change between a check
 * and the connection (rebinding), so the address actually dialled is checked too.
 */
export function publicOnlyFetch(): typeof fetch {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
      if (blocked) {
        const refusal = Object.assign(
          new Error(`${hostname} resolves to ${blocked.address}, a loopback, link-local or private address`),
          { code: 'EPRIVATEADDRESS' },
        );
        return callback(refusal, '', 0);
      }
      if (options.all)
        return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
  const dispatcher = new Agent({ connect: { lookup } });
  return ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof fetch;
}
