/**
 * Where a provider's server is: on this machine or the local network (a model server the user
 * runs: free per token, and it may first have to load a model), or out on the internet (a cloud
 * API). Settings use it for a new provider's "local · $0", and the engine and Settings for the
 * time limits a provider runs under unless it sets its own.
 */

import { assertNever } from './assert-never';
import type { ProviderKind } from './types';

/** True for `host` (an IPv4 address) in 127.0.0.0/8, 10/8, 172.16/12, 192.168/16, 100.64/10 or 169.254/16, or 0.0.0.0. */
function isPrivateIpv4(host: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (match === null) return false;
  const [a, b] = [Number(match[1]), Number(match[2])];
  return (
    a === 127 ||
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    // Carrier-grade NAT space, which VPN meshes such as Tailscale give their machines.
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    host === '0.0.0.0'
  );
}

/** True for `host` (an IPv6 address in brackets, as `URL` gives it) that is loopback, unique local (fc00::/7), link-local or a mapped private IPv4 one. */
function isPrivateIpv6(host: string): boolean {
  if (!host.startsWith('[')) return false;
  const address = host.slice(1, -1);
  if (address === '::1') return true;
  if (/^f[cd][0-9a-f]{0,2}:/.test(address) || /^fe[89ab][0-9a-f]?:/.test(address)) return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped === null) return false;
  const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return isPrivateIpv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
}

/**
 * True when `url` names a host on this machine or a private network: a loopback or private
 * address (127.0.0.0/8, ::1, 10/8, 172.16/12, 192.168/16 and the like), `localhost`, an mDNS
 * `.local` name, a `.home.arpa` one, or a name without a dot (`gpu-box`), which only a local
 * network resolves. Any other host is out on the internet; so is a URL that does not parse.
 */
export function isLocalUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  if (host === '') return false;
  if (host.startsWith('[')) return isPrivateIpv6(host);
  if (/^[\d.]+$/.test(host)) return isPrivateIpv4(host);
  return host === 'localhost' || !host.includes('.') || /\.(?:localhost|local|home\.arpa)$/.test(host);
}

/**
 * True for a provider whose server the user runs: Ollama wherever it is, and an
 * OpenAI-compatible endpoint on a local host (`isLocalUrl`: LM Studio, llama.cpp, vLLM on this
 * machine or the network); OpenAI, Anthropic and a compatible cloud API (OpenRouter, Groq) are not.
 */
export function isLocalServer(kind: ProviderKind, endpoint: string): boolean {
  switch (kind) {
    case 'openai':
    case 'anthropic':
      return false;
    case 'ollama':
      return true;
    case 'openai-compatible':
      return isLocalUrl(endpoint);
    default:
      return assertNever(kind, 'provider kind');
  }
}
