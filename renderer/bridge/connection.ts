/**
 * The renderer's one bridge: the Electron preload's `window.workbench` when present, otherwise
 * the browser host's WebSocket, authenticated by the token from the page URL.
 */

import type { BridgeTransport } from '../../shared/bridge';
import { createBridgeClient, type BridgeClient } from './client';
import { WebSocketTransport, type ConnectionState } from './websocket-transport';

declare global {
  interface Window {
    /** The bridge the Electron preload exposes; absent in a browser. */
    workbench?: BridgeTransport;
  }
}

/** Where the token is kept so a reload of the tab still connects. */
const TOKEN_STORAGE_KEY = 'workbench.token';

/** Reads the host's token from the URL (then hides it from the address bar) or the session. */
export function readToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
      url.searchParams.delete('token');
      // The token stays out of the address bar, bookmarks and screenshots; the session keeps it.
      window.history.replaceState(window.history.state, '', url.toString());
    } catch {
      // Storage may be disabled; the URL still carries the token then.
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The WebSocket address of the host that served this page. */
export function bridgeUrl(token: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/bridge?token=${encodeURIComponent(token)}`;
}

/** The bridge client with its connection state. */
export interface Connection {
  client: BridgeClient;
  getState(): ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Tries to reconnect now instead of waiting out the backoff. */
  reconnectNow(): void;
}

function createConnection(): Connection {
  const preload = window.workbench;
  if (preload) {
    return {
      client: createBridgeClient(preload),
      getState: () => 'connected',
      onStateChange: () => () => undefined,
      reconnectNow: () => undefined,
    };
  }
  const transport = new WebSocketTransport(bridgeUrl(readToken()));
  window.addEventListener('online', () => transport.reconnectNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') transport.reconnectNow();
  });
  return {
    client: createBridgeClient(transport),
    getState: () => transport.getState(),
    onStateChange: (listener) => transport.onStateChange(listener),
    reconnectNow: () => transport.reconnectNow(),
  };
}

let current: Connection | null = null;

/** The app's connection, created on first use. */
export function getConnection(): Connection {
  current ??= createConnection();
  return current;
}

/** The typed bridge client. */
export function bridge(): BridgeClient {
  return getConnection().client;
}

export type { ConnectionState };
