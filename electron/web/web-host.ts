/**
 * The browser host: serves the built renderer and the bridge contract over a WebSocket,
 * on 127.0.0.1 only, behind a random access token.
 *
 * The token arrives once in the URL (`/?token=…`); the page response turns it into an
 * HttpOnly, SameSite=Strict cookie so the page's scripts and workers load, and the bridge
 * client passes it again when it opens the socket. The Host header must name the loopback
 * address (DNS rebinding) and a WebSocket's Origin must be this host (cross-site hijacking).
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { ClientMessage, HostMessage } from '../../shared/bridge';
import { MAX_PAYLOAD_BYTES, type CallHandlers, type EventName } from '../../shared/contract';
import { dispatchCall, describeIssues } from '../core/rpc';
import { SECURITY_HEADERS, contentTypeOf, resolveStaticFile } from '../host/static-files';

/** What the browser host needs: the engine's handlers and events, and the renderer's files. */
export interface WebHostOptions {
  handlers: CallHandlers;
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** A fixed token (tests); a random one otherwise. */
  token?: string;
}

/** A running browser host. */
export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

const clientMessageSchema: z.ZodType<ClientMessage> = z
  .object({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(100),
    input: z.unknown(),
  })
  .strict();
/**
 * The cookie's name carries the port: browsers keep cookies by host, not by port, so two hosts
 * running at once (two data folders, or the desktop app's and a test's) would otherwise replace
 * each other's token, and a reload of the first tab would be refused.
 */
function cookieName(port: number): string {
  return `workbench_token_${port}`;
}

function sameToken(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** Starts the browser host; resolves once it listens. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  let port = options.port;
  const allowedHosts = () => new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);

  function isAuthorised(request: http.IncomingMessage, url: URL): boolean {
    return sameToken(token, url.searchParams.get('token')) || sameToken(token, cookieToken(request.headers.cookie, cookieName(port)));
  }

  function refuse(response: http.ServerResponse, status: number, message: string): void {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    response.end(message);
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}`);
    if (!allowedHosts().has(request.headers.host ?? '')) {
      refuse(response, 421, 'This host only answers at 127.0.0.1.\n');
      return;
    }
    if (!isAuthorised(request, url)) {
      refuse(response, 401, 'Missing or wrong access token: open the URL the workbench printed when it started.\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'Method not allowed.\n');
      return;
    }
    const file = resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      refuse(response, 404, 'Not found.\n');
      return;
    }
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeOf(file),
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
    };
    if (url.searchParams.has('token')) {
      headers['Set-Cookie'] = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    response.writeHead(200, headers);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    fs.createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}`);
    const origin = request.headers.origin;
    const isAllowed =
      url.pathname === '/bridge' &&
      allowedHosts().has(request.headers.host ?? '') &&
      (origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''))) &&
      isAuthorised(request, url);
    if (!isAllowed) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  });

  function send(client: WebSocket, message: HostMessage): void {
    // A client that went away mid-call simply misses its answer.
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  }

  sockets.on('connection', (client) => {
    client.on('error', () => client.terminate());
    client.on('message', (data, isBinary) => {
      void answer(client, isBinary ? null : data.toString());
    });
  });

  async function answer(client: WebSocket, text: string | null): Promise<void> {
    let raw: unknown;
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      const reason = raw === undefined ? 'not JSON text' : describeIssues(parsed.error);
      send(client, { type: 'result', id, ok: false, error: { code: 'invalid-input', message: `Malformed bridge message: ${reason}` } });
      return;
    }
    const result = await dispatchCall(options.handlers, parsed.data.channel, parsed.data.input);
    send(client, { type: 'result', id: parsed.data.id, ...result });
  }

  const unsubscribe = options.subscribe((name, payload) => {
    const message = JSON.stringify({ type: 'event', name, payload } satisfies HostMessage);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A browser's keep-alive connections (or a request in flight) would hold the close, and so the
      // process, open: stopping the host ends them.
      server.closeAllConnections();
      await closed;
    },
  };
}
