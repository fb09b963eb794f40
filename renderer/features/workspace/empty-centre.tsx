/**
 * The centre with no prompt open. With prompts in the library it points at them; with none (a
 * first start), it gives the two steps to a first run, each with its button: a prompt, and a
 * provider that can answer it, each provider said as ready or what it lacks.
 */

import { useShallow } from 'zustand/react/shallow';
import type { ProviderSettings } from '../../../shared/types';
import { NEW_PROMPT_EVENT } from '../library/library-sidebar';
import { SETTINGS_START_ID } from '../settings/settings-view';
import { runShortcutLabel } from '../status/shortcuts';
import { useWorkbench } from '../../store/workbench-store';

/** Whether `provider` can answer now, or what it lacks, in a few words. */
export function providerReadiness(provider: ProviderSettings): { isReady: boolean; text: string } {
  if (provider.kind === 'ollama' || (provider.isLocal && !provider.hasKey && provider.keySource === 'none')) {
    return { isReady: true, text: `no key needed · ${provider.endpoint}` };
  }
  if (provider.hasKey) {
    return { isReady: true, text: provider.keySource === 'environment' && provider.keyVariable !== null ? `key from ${provider.keyVariable}` : 'key entered' };
  }
  if (provider.keySource === 'none') return { isReady: true, text: `no key · ${provider.endpoint}` };
  const set = provider.keySource === 'environment' && provider.keyVariable !== null ? `set ${provider.keyVariable} or ` : '';
  return { isReady: false, text: `no key: ${set}enter one in Settings › Providers` };
}

function openSettings(): void {
  useWorkbench.getState().setWorkspace('settings');
  requestAnimationFrame(() => document.getElementById(SETTINGS_START_ID)?.focus());
}

/** What the centre shows while no prompt is open. */
export function EmptyCentre() {
  const { isLoaded, promptCount, providers } = useWorkbench(
    useShallow((state) => ({ isLoaded: state.isLibraryLoaded, promptCount: state.prompts.length, providers: state.providers })),
  );
  const hints = <p className="muted">Alt+N new prompt · Ctrl+P search · {runShortcutLabel()} run · Ctrl+S save a version</p>;
  if (!isLoaded) {
    return (
      <div className="empty-centre" data-testid="empty-centre">
        <p className="muted">Loading…</p>
      </div>
    );
  }
  if (promptCount > 0) {
    return (
      <div className="empty-centre" data-testid="empty-centre">
        <p>Pick a prompt in the library.</p>
        {hints}
      </div>
    );
  }
  return (
    <div className="empty-centre first-start" data-testid="empty-centre">
      <p className="first-start-title">Create a prompt to start.</p>
      <ol className="first-start-steps">
        <li>
          <span>Write its messages, with {'{{variables}}'} for what changes from run to run.</span>
          <button type="button" className="button button-primary" data-testid="first-start-new-prompt" onClick={() => window.dispatchEvent(new Event(NEW_PROMPT_EVENT))}>
            New prompt <kbd>Alt+N</kbd>
          </button>
        </li>
        <li>
          <span>Run it side by side on models of these providers, added with + Model under the editor:</span>
          <ul className="first-start-providers" data-testid="first-start-providers">
            {providers.map((provider) => {
              const { isReady, text } = providerReadiness(provider);
              return (
                <li key={provider.id} className={isReady ? 'is-ready' : 'is-lacking'}>
                  <strong>{provider.label}</strong> — {text}
                </li>
              );
            })}
          </ul>
          <button type="button" className="button" data-testid="first-start-settings" onClick={openSettings}>
            Settings › Providers <kbd>Ctrl+,</kbd>
          </button>
        </li>
      </ol>
      {hints}
    </div>
  );
}
