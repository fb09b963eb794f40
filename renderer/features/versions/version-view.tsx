/**
 * The centre of the window while a version is open read-only or two versions are compared.
 */

import { Editor } from '@monaco-editor/react';
import { useMemo } from 'react';
import type { PromptVersion } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { countOf, formatDate } from '../../lib/format';
import { VERSION_TEXT_LANGUAGE } from '../../monaco/template-language';
import { useWorkbench } from '../../store/workbench-store';
import { BLOCK_EDITOR_OPTIONS } from '../editor/editor-options';
import { useMonacoTheme } from '../settings/use-theme';
import { DiffView } from './diff-view';
import { versionText } from './version-text';

const READ_ONLY_OPTIONS = {
  ...BLOCK_EDITOR_OPTIONS,
  readOnly: true,
  domReadOnly: true,
  readOnlyMessage: { value: 'This version is read-only. Restore it into the draft to edit it.' },
  scrollbar: { vertical: 'auto' as const, horizontal: 'hidden' as const, alwaysConsumeMouseWheel: true },
};

function contentSummary(version: PromptVersion): string {
  const characters = version.content.messages.reduce((sum, message) => sum + message.content.length, 0);
  return `${countOf(version.content.messages.length, 'message')} · ${countOf(characters, 'character')}`;
}

function VersionHeading({ version }: { version: PromptVersion }) {
  // The content is frozen, the status is not (approval): the version list has the current one.
  const status = useWorkbench((state) => state.versions.find((item) => item.promptId === version.promptId && item.number === version.number)?.status ?? version.status);
  return (
    <span className="version-heading">
      <span className="version-number">v{version.number}</span>
      {/* As the version list marks it: approved ones only; a saved version is no "draft". */}
      {status === 'approved' && (
        <span className="badge status-approved" data-testid="version-heading-approved">
          ✓ approved
        </span>
      )}
      <span className="muted">{formatDate(version.createdAt)}</span>
      {version.note && <span className="version-heading-note">{version.note}</span>}
    </span>
  );
}

/** A version, read-only. */
export function VersionView({ version }: { version: PromptVersion }) {
  const theme = useMonacoTheme();
  const text = useMemo(() => versionText(version.content), [version]);
  return (
    <div className="version-view" data-testid="version-view" data-version={version.number}>
      <header className="view-header">
        <VersionHeading version={version} />
        <span className="read-only-tag">Read-only</span>
        <span className="spacer" />
        <button type="button" className="button" data-testid="restore-open-version" onClick={() => void useWorkbench.getState().restoreVersion(version.number)}>
          Restore into draft
        </button>
        <IconButton icon="close" label="Close (back to the draft)" testId="close-version" onClick={() => useWorkbench.getState().closeVersionView()} />
      </header>
      <div className="view-summary" data-testid="version-summary">
        {contentSummary(version)}
        {version.content.messages.map((message, index) => (
          <span key={index} className="summary-item" data-testid="version-message-length">
            {message.role} {countOf(message.content.length, 'char')}
          </span>
        ))}
      </div>
      <div className="view-body">
        <Editor
          key={version.id}
          value={text}
          defaultLanguage={VERSION_TEXT_LANGUAGE}
          theme={theme}
          options={READ_ONLY_OPTIONS}
          loading={<div className="editor-loading" />}
        />
      </div>
    </div>
  );
}

/** Two versions side by side. */
export function VersionCompare({ original, modified }: { original: PromptVersion; modified: PromptVersion }) {
  const theme = useMonacoTheme();
  const originalText = useMemo(() => versionText(original.content), [original]);
  const modifiedText = useMemo(() => versionText(modified.content), [modified]);
  return (
    <div className="version-view version-compare" data-testid="version-compare">
      <header className="view-header">
        <VersionHeading version={original} />
        <span className="compare-arrow">→</span>
        <VersionHeading version={modified} />
        <span className="spacer" />
        <IconButton icon="close" label="Close (back to the draft)" testId="close-compare" onClick={() => useWorkbench.getState().closeVersionView()} />
      </header>
      <div className="view-body">
        <DiffView original={originalText} modified={modifiedText} theme={theme} />
      </div>
    </div>
  );
}
