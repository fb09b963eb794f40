/**
 * The preload: exposes the bridge transport as `window.workbench` and nothing else.
 *
 * Runs sandboxed with context isolation; only allow-listed call channels pass, and the main
 * process validates every payload again.
 */

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type BridgeTransport, type CallResult } from '../shared/bridge';
import { isCallName } from '../shared/contract';

const transport: BridgeTransport = {
  call(channel: string, input: unknown): Promise<CallResult> {
    if (!isCallName(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid-input', message: `Unknown call '${String(channel)}'` } });
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
