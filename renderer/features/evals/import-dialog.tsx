/**
 * "Import…": a file (or pasted text), its format (guessed from the file's name) and whether the
 * cases append to the table or replace it, and a judge for the checks a file leaves to a model
 * grader (GitHub Models' github/coherence and `llm` evaluators, promptfoo's llm-rubric) and for
 * LLM judges whose provider, named in the file, is not configured here (any format may hold
 * those); without one such checks are reported and left out. What the import did is reported
 * above the table.
 */

import { useId, useRef, useState } from 'react';
import { DialogShell } from '../../components/dialog-shell';
import { ProviderSelect } from '../../components/provider-select';
import { MAX_IMPORT_CHARS } from '../../../shared/contract';
import { decodeText } from '../../../shared/decode-text';
import type { TestCaseFormat } from '../../../shared/eval-types';
import type { RunTarget } from '../../../shared/types';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { CASE_FILE_ACCEPT, CASE_FORMATS, formatLabel, guessCaseFormat } from './case-formats';

/** The import dialog; `onClose` hides it. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const isImporting = useWorkbench((state) => state.isImporting);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [pasted, setPasted] = useState('');
  const [format, setFormat] = useState<TestCaseFormat>('csv');
  const [guessNote, setGuessNote] = useState<string | null>(null);
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [error, setError] = useState<string | null>(null);
  const providers = useWorkbench((state) => state.providers);
  const firstTarget = useWorkbench((state) => state.runTargets[0] ?? null);
  // The judge set in Settings, when there is one, is the starting choice.
  const judgeSetting = useWorkbench((state) => state.judge);
  const [isJudging, setJudging] = useState(judgeSetting !== null);
  const [judge, setJudge] = useState<RunTarget>(() => judgeSetting ?? firstTarget ?? { providerId: providers[0]?.id ?? 0, model: '' });
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);

  const text = file?.text ?? pasted;

  const pickFile = async (picked: File | undefined) => {
    setError(null);
    if (!picked) return;
    if (picked.size > MAX_IMPORT_CHARS * 4) {
      setError(`${picked.name} is too large to import (the limit is ${countOf(MAX_IMPORT_CHARS, 'character')})`);
      return;
    }
    const decoded = decodeText(new Uint8Array(await picked.arrayBuffer()));
    if (!decoded.ok) {
      setFile(null);
      setError(`${picked.name}, line ${decoded.line}: ${decoded.message}`);
      return;
    }
    const content = decoded.text;
    setFile({ name: picked.name, text: content });
    const guessed = guessCaseFormat(picked.name, content);
    if (guessed !== null) {
      setFormat(guessed);
      setGuessNote(`${formatLabel(guessed)}, from the file’s name`);
    } else {
      setGuessNote('Pick the format: the file’s name does not say');
    }
  };

  const submit = async () => {
    if (text.trim() === '') {
      setError('Choose a file or paste the cases first');
      return;
    }
    if (text.length > MAX_IMPORT_CHARS) {
      setError(`That is ${countOf(text.length, 'character')}; the limit is ${countOf(MAX_IMPORT_CHARS, 'character')}`);
      return;
    }
    if (isJudging && judge.model.trim() === '') {
      setError('Name the judge model, or untick “Grade model-graded checks with”');
      return;
    }
    const failure = await useWorkbench.getState().importCases({ format, text, mode, fileName: file?.name ?? null, judge: isJudging ? { providerId: judge.providerId, model: judge.model.trim() } : null });
    if (failure === null) onClose();
    else setError(failure);
  };

  return (
    <DialogShell
      title={<strong>Import test cases</strong>}
      className="import-dialog"
      testId="import-dialog"
      onCancel={onClose}
      onSubmit={() => void submit()}
      submitLabel="Import"
      submitTestId="import-submit"
      isBusy={isImporting}
      hint={isImporting ? 'Importing…' : 'Bad rows are reported; the good ones import.'}
      error={error}
      errorTestId="import-error"
    >
      <div className="form-field">
        <label htmlFor={`${id}-file`}>File</label>
        <input ref={fileRef} id={`${id}-file`} type="file" accept={CASE_FILE_ACCEPT} data-testid="import-file" onChange={(event) => void pickFile(event.target.files?.[0])} />
      </div>
      {file === null ? (
        <div className="form-field">
          <label htmlFor={`${id}-text`}>…or paste them</label>
          <textarea
            id={`${id}-text`}
            className="import-textarea mono"
            rows={6}
            spellCheck={false}
            data-testid="import-text"
            placeholder={'description,question,expected\nGreets,Say hello,Hello'}
            value={pasted}
            onChange={(event) => {
              setPasted(event.target.value);
              setError(null);
            }}
          />
        </div>
      ) : (
        <p className="import-file-note" data-testid="import-file-note">
          {file.name} · {countOf(file.text.length, 'character')}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setFile(null);
              setGuessNote(null);
              if (fileRef.current) fileRef.current.value = '';
            }}
          >
            paste instead
          </button>
        </p>
      )}
      <div className="import-options">
        <div className="form-field">
          <label htmlFor={`${id}-format`}>
            Format {guessNote && <span className="field-hint" data-testid="import-format-note">{guessNote}</span>}
          </label>
          <select
            id={`${id}-format`}
            className="select"
            data-testid="import-format"
            value={format}
            onChange={(event) => {
              setFormat(event.target.value as TestCaseFormat);
              setGuessNote(null);
            }}
          >
            {CASE_FORMATS.map((item) => (
              <option key={item.format} value={item.format}>
                {item.label}
              </option>
            ))}
          </select>
        </div>
        <div className="form-field">
          <span className="form-label">Cases</span>
          <div className="segmented" role="radiogroup" aria-label="Append or replace">
            <button type="button" role="radio" aria-checked={mode === 'append'} className={mode === 'append' ? 'is-active' : undefined} data-testid="import-append" onClick={() => setMode('append')}>
              Append
            </button>
            <button type="button" role="radio" aria-checked={mode === 'replace'} className={mode === 'replace' ? 'is-active' : undefined} data-testid="import-replace" onClick={() => setMode('replace')}>
              Replace all
            </button>
          </div>
        </div>
      </div>
      <div className="import-judge" data-testid="import-judge">
        <label className="check-label" title="GitHub Models’ github/coherence, fluency, relevance and groundedness, its llm evaluators, promptfoo’s llm-rubric, and LLM judges whose provider is not configured here">
          <input type="checkbox" data-testid="import-judge-check" checked={isJudging} onChange={(event) => {
              setJudging(event.target.checked);
              setError(null);
            }} />
          Grade model-graded checks with
        </label>
        <ProviderSelect
          ariaLabel="Judge provider"
          testId="import-judge-provider"
          isDisabled={!isJudging}
          value={judge.providerId}
          onChange={(providerId) => {
            setJudge({ ...judge, providerId });
            setError(null);
          }}
        />
        <input
          className="import-judge-model"
          aria-label="Judge model"
          data-testid="import-judge-model"
          spellCheck={false}
          placeholder="e.g. gpt-4o-mini"
          disabled={!isJudging}
          value={judge.model}
          onChange={(event) => {
            setJudge({ ...judge, model: event.target.value });
            setError(null);
          }}
        />
      </div>
    </DialogShell>
  );
}
