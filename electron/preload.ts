/**
 * The preload: exposes the bridge transport as `window.workbench` and nothing else.
 *
 * Runs sandboxed with context isolation. The main process is the boundary: it checks the
 * sender and validates channel and payload against the contract, so the preload stays a thin
 * forwarder and does not bundle the schemas.
 */

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type BridgeTransport, type CallResult } from '../shared/bridge';

const transport: BridgeTransport = {
  call(channel: string, input: unknown): Promise<CallResult> {
    if (typeof channel !== 'string') {
      return Promise.resolve({ ok: false, error: { code: 'invalid-input', message: 'A call channel must be a string' } });
    }
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, channel, input) as Promise<CallResult>;
  },
  onEvent(listener: (name: string, payload: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('workbench', transport);
