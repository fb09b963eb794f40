/**
 * The desktop shell: one hardened window over the engine.
 *
 * The renderer is served from the privileged `app://workbench/` protocol with a strict CSP;
 * context isolation and the sandbox are on, node integration off; navigation and new windows
 * are denied; IPC is answered only for our own frame; one instance at a time.
 */

import { BrowserWindow, Menu, app, dialog, ipcMain, net, protocol, safeStorage, shell, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResult } from '../shared/bridge';
import { prepareDataFolder } from './core/data-folder-errors';
import { createEngine, type Engine } from './core/engine';
import { defaultDataDir } from './core/paths';
import { dispatchCall } from './core/rpc';
import { createEncryptedSecretStore } from './host/encrypted-secret-store';
import { SECURITY_HEADERS, resolveStaticFile } from './host/static-files';
import { startupErrorBox } from './host/startup-error-box';

const SCHEME = 'app';
const ORIGIN = `${SCHEME}://workbench`;
const rendererDir = path.join(__dirname, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let engine: Engine | null = null;
  let window: BrowserWindow | null = null;

  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const url = event.senderFrame?.url ?? '';
    return window !== null && event.sender === window.webContents && url.startsWith(`${ORIGIN}/`);
  };

  const createWindow = () => {
    window = new BrowserWindow({
      width: 1440,
      height: 900,
      minWidth: 900,
      minHeight: 560,
      show: false,
      title: 'Prompt Workbench',
      backgroundColor: '#1e1f22',
      webPreferences: {
        preload: path.join(__dirname, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    window.once('ready-to-show', () => window?.show());
    window.webContents.on('will-navigate', (event) => event.preventDefault());
    window.webContents.on('will-redirect', (event) => event.preventDefault());
    window.webContents.setWindowOpenHandler(({ url }) => {
      // Links the user clicks open in their browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    window.on('closed', () => {
      window = null;
    });
    void window.loadURL(`${ORIGIN}/index.html`);
  };

  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.whenReady().then(() => {
    const dataDir = process.env.WORKBENCH_DATA_DIR ? defaultDataDir() : app.getPath('userData');
    const promptsDir = process.env.WORKBENCH_PROMPTS_DIR
      ? path.resolve(process.env.WORKBENCH_PROMPTS_DIR)
      : app.isPackaged
        ? path.join(process.resourcesPath, 'prompts')
        : path.join(app.getAppPath(), 'prompts');
    // Before the secret store writes there, so a folder that cannot be used is said as the engine says it.
    prepareDataFolder(dataDir);
    const secrets = createEncryptedSecretStore(dataDir, safeStorage, {
      allowPlainText: process.env.WORKBENCH_ALLOW_PLAINTEXT_SECRETS === '1',
    });
    if (secrets.sessionOnlyReason) console.warn(`API keys entered in the app last this session only: ${secrets.sessionOnlyReason}`);
    engine = createEngine({ dataDir, promptsDir, host: 'electron', appVersion: app.getVersion(), secrets: secrets.store });
    const current = engine;

    protocol.handle(SCHEME, async (request) => {
      const url = new URL(request.url);
      const file = url.host === 'workbench' ? resolveStaticFile(rendererDir, url.pathname) : null;
      if (!file) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
      const response = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers(response.headers);
      for (const [key, value] of Object.entries(SECURITY_HEADERS)) headers.set(key, value);
      return new Response(response.body, { status: response.status, headers });
    });

    ipcMain.handle(IPC_CALL_CHANNEL, async (event, channel: unknown, input: unknown): Promise<CallResult> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'invalid-input', message: 'Call refused: untrusted sender' } };
      }
      return dispatchCall(current.handlers, channel, input);
    });
    current.subscribe((name, payload) => window?.webContents.send(IPC_EVENT_CHANNEL, name, payload));

    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
        { role: 'fileMenu' },
        { role: 'editMenu' },
        { role: 'viewMenu' },
        { role: 'windowMenu' },
      ]),
    );
    createWindow();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  }).catch((error: unknown) => {
    console.error('Prompt Workbench could not start:', error);
    // Started from a launcher, nobody reads the console: say it in a window too.
    const box = startupErrorBox(error);
    dialog.showErrorBox(box.title, box.message);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    engine?.close();
    engine = null;
  });
}
