/**
 * The browser transport: the bridge envelopes over the host's WebSocket.
 *
 * It reconnects with backoff, rejects calls that were in flight when the socket dropped with
 * code 'unavailable' (the host may or may not have run them; callers decide whether to retry),
 * and reports its connection state for the status bar.
 */

import type { BridgeTransport, CallResult, ClientMessage, HostMessage } from '../../shared/bridge';

/** Whether the bridge can carry calls right now. */
export type ConnectionState = 'connected' | 'connecting' | 'offline';

/** Tuning knobs, shortened by nothing in production; present so the choices are visible. */
export interface WebSocketTransportOptions {
  /** Delays between reconnection attempts, in milliseconds; the last one repeats. */
  backoff?: readonly number[];
  /** How long a call made while disconnected waits for the socket before failing. */
  sendTimeout?: number;
}

interface PendingCall {
  message: ClientMessage;
  resolve: (result: CallResult) => void;
  isSent: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

const DEFAULT_BACKOFF = [250, 500, 1000, 2000, 4000, 5000];

function unavailable(message: string): CallResult {
  return { ok: false, error: { code: 'unavailable', message } };
}

/** A `BridgeTransport` over a reconnecting WebSocket. */
export class WebSocketTransport implements BridgeTransport {
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'connecting';
  private nextId = 1;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private isClosed = false;
  private readonly pending = new Map<number, PendingCall>();
  private readonly eventListeners = new Set<(name: string, payload: unknown) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly backoff: readonly number[];
  private readonly sendTimeout: number;

  constructor(
    private readonly url: string,
    options: WebSocketTransportOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sendTimeout = options.sendTimeout ?? 6000;
    this.connect();
  }

  /** The current connection state. */
  getState(): ConnectionState {
    return this.state;
  }

  /** Subscribes to connection state changes; returns the unsubscribe function. */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Skips the backoff wait and tries to connect now (the browser came back online, say). */
  reconnectNow(): void {
    if (this.isClosed || this.state !== 'offline') return;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  call(channel: string, input: unknown): Promise<CallResult> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      const call: PendingCall = { message: { type: 'call', id, channel, input }, resolve, isSent: false, timer: null };
      this.pending.set(id, call);
      if (this.socket?.readyState === WebSocket.OPEN) {
        this.send(call);
      } else {
        call.timer = setTimeout(() => {
          this.pending.delete(id);
          resolve(unavailable('Not connected to the workbench host'));
        }, this.sendTimeout);
      }
    });
  }

  onEvent(listener: (name: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Closes the socket for good and fails every pending call. */
  close(): void {
    this.isClosed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.failPending(() => true, 'The connection was closed');
  }

  private connect(): void {
    this.setState('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setState('connected');
      for (const call of this.pending.values()) if (!call.isSent) this.send(call);
    });
    socket.addEventListener('message', (event) => {
      if (this.socket === socket && typeof event.data === 'string') this.receive(event.data);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // Calls already sent may or may not have run; only the caller can judge a retry.
      this.failPending((call) => call.isSent, 'The connection to the workbench host was lost');
      if (!this.isClosed) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    this.setState('offline');
    const delay = this.backoff[Math.min(this.attempt, this.backoff.length - 1)];
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private send(call: PendingCall): void {
    if (call.timer !== null) clearTimeout(call.timer);
    call.timer = null;
    try {
      this.socket?.send(JSON.stringify(call.message));
      call.isSent = true;
    } catch (error) {
      this.pending.delete(call.message.id);
      call.resolve({
        ok: false,
        error: { code: 'invalid-input', message: `Could not send the call: ${error instanceof Error ? error.message : String(error)}` },
      });
    }
  }

  private receive(data: string): void {
    let message: HostMessage;
    try {
      message = JSON.parse(data) as HostMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      call.resolve(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
    } else if (message.type === 'event') {
      for (const listener of this.eventListeners) listener(message.name, message.payload);
    }
  }

  private failPending(predicate: (call: PendingCall) => boolean, reason: string): void {
    for (const [id, call] of this.pending) {
      if (!predicate(call)) continue;
      if (call.timer !== null) clearTimeout(call.timer);
      this.pending.delete(id);
      call.resolve(unavailable(reason));
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
