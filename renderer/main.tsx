/**
 * The renderer's entry: Monaco first (offline, before any editor mounts), then the app.
 */

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { currentSystemTheme, resolveTheme } from './features/settings/settings-slice';
import { setupMonaco } from './monaco/setup';
import { useWorkbench } from './store/workbench-store';
import './styles.css';

setupMonaco();

// The first paint already has the right colours; the engine's setting follows on connect.
const { themePreference } = useWorkbench.getState();
document.documentElement.dataset.theme = resolveTheme(themePreference, currentSystemTheme());

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
