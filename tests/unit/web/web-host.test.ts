import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { HostMessage } from '../../../shared/bridge';
import { createEngine, type Engine } from '../../../electron/core/engine';
import { startWebHost, type WebHost } from '../../../electron/web/web-host';

let engine: Engine;
let host: WebHost;
let rendererDir: string;

beforeEach(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-web-'));
  rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Prompt Workbench</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
  engine = createEngine({ dataDir: path.join(root, 'data'), promptsDir: null, host: 'web', appVersion: '0.0.0-test' });
  host = await startWebHost({
    handlers: engine.handlers,
    subscribe: (listener) => engine.subscribe(listener),
    rendererDir,
    port: 0,
  });
});

afterEach(async () => {
  await host.close();
  engine.close();
});

async function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${host.port}${pathAndQuery}`, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/bridge${query}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<HostMessage> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()) as HostMessage)));
}

describe('browser host HTTP', () => {
  test('listens on the loopback address only', () => {
    expect(new URL(host.url).hostname).toBe('127.0.0.1');
  });

  test('refuses requests without the right token and serves them with it', async () => {
    const refused = await Promise.all([get('/'), get('/?token=wrong'), get('/assets/app.js')]);
    expect(refused.map((response) => response.status)).toEqual([401, 401, 401]);

    const page = await get(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Prompt Workbench</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const asset = await get('/assets/app.js', { cookie: cookie.split(';')[0] });
    expect([asset.status, asset.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  test('refuses a foreign Host header and paths that escape the renderer folder', async () => {
    // fetch() may not set Host; a raw request can, as a DNS-rebinding page would.
    const rebound = await new Promise<{ status: number }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { host: `evil.example:${host.port}` } }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0 });
        })
        .on('error', reject);
    });
    const escaped = await get(`/%2e%2e/secret.txt?token=${host.token}`);
    expect([rebound.status, escaped.status]).toEqual([421, 404]);
  });
});

describe('browser host bridge', () => {
  test('refuses a socket without the token or from another origin', async () => {
    await expect(connect('')).rejects.toThrow(/401/);
    await expect(connect(`?token=${host.token}`, { origin: 'http://evil.example' })).rejects.toThrow(/401/);
  });

  test('answers calls, and answers bad payloads with clear errors instead of crashing', async () => {
    const socket = await connect(`?token=${host.token}`);
    const replies: HostMessage[] = [];
    for (const frame of [
      'not json',
      JSON.stringify({ type: 'call', id: 1, channel: 'no:such-call', input: {} }),
      JSON.stringify({ type: 'call', id: 2, channel: 'prompts:create', input: { name: 42 } }),
      JSON.stringify({ type: 'call', id: 3, channel: 'prompts:create', input: { name: 'Release notes' } }),
    ]) {
      const reply = nextMessage(socket);
      socket.send(frame);
      replies.push(await reply);
    }
    const summary = replies.map((reply) =>
      reply.type === 'result' ? (reply.ok ? { id: reply.id, ok: true } : { id: reply.id, code: reply.error.code, message: reply.error.message }) : reply,
    );
    expect(summary).toEqual([
      { id: -1, code: 'invalid-input', message: 'Malformed bridge message: not JSON text' },
      { id: 1, code: 'invalid-input', message: "Unknown call 'no:such-call'" },
      { id: 2, code: 'invalid-input', message: 'Name: Invalid input: expected string, received number' },
      { id: 3, ok: true },
    ]);
    socket.close();
  });

  test('survives a client that disconnects mid-call and serves the next one', async () => {
    const first = await connect(`?token=${host.token}`);
    first.send(JSON.stringify({ type: 'call', id: 1, channel: 'prompts:list', input: {} }));
    first.terminate();
    const second = await connect(`?token=${host.token}`);
    const reply = nextMessage(second);
    second.send(JSON.stringify({ type: 'call', id: 7, channel: 'app:info', input: {} }));
    const message = await reply;
    expect(message.type === 'result' && message.ok && message.id).toBe(7);
    second.close();
  });

  test('pushes engine events to connected clients', async () => {
    const socket = await connect(`?token=${host.token}`);
    const messages: HostMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as HostMessage));
    socket.send(JSON.stringify({ type: 'call', id: 1, channel: 'prompts:create', input: { name: 'Events' } }));
    await expect.poll(() => messages.some((message) => message.type === 'event' && message.name === 'library:changed')).toBe(true);
    socket.close();
  });
});
