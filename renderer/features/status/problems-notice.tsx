/**
 * The notice listing what prompt files could not give the library, each as `file:line message`:
 * files that were not loaded, test cases or evaluators left out of files that were, notes on what
 * loaded as written (a test data key that looks like a misspelt variable), and prompts that loaded
 * under another name than their file gives.
 */

import { useShallow } from 'zustand/react/shallow';
import type { FileProblem } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { IconButton } from '../../components/icon-button';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';

/** The problems notice, above the editor while it is open. */
export function ProblemsNotice() {
  const { problems, isOpen } = useWorkbench(useShallow((state) => ({ problems: state.problems, isOpen: state.isProblemsNoticeOpen })));
  if (!isOpen || problems.length === 0) return null;
  const skipped = problems.filter((problem) => problem.leftOut === undefined || problem.leftOut === 'file');
  const items = problems.filter((problem) => problem.leftOut === 'item');
  const renamed = problems.filter((problem) => problem.leftOut === 'nothing' && problem.isRenamed === true);
  const notes = problems.filter((problem) => problem.leftOut === 'nothing' && problem.isRenamed !== true);
  const skippedFiles = new Set(skipped.map((problem) => problem.file)).size;
  const loadedFiles = new Set(items.map((problem) => problem.file)).size;
  const notedFiles = new Set(notes.map((problem) => problem.file)).size;
  return (
    <div className="problems-notice" role="alert" data-testid="problems-notice">
      <Icon name="warning" className="problems-icon" />
      <div className="problems-body">
        {skipped.length > 0 && (
          <ProblemGroup
            title={`${countOf(skipped.length, 'problem')} in ${countOf(skippedFiles, 'prompt file')} — ${skippedFiles === 1 ? 'this file was' : 'these files were'} not loaded`}
            problems={skipped}
          />
        )}
        {items.length > 0 && (
          <ProblemGroup
            title={`${countOf(items.length, 'test case or evaluator', 'test cases or evaluators')} left out of ${loadedFiles === 1 ? 'a prompt file that was' : 'prompt files that were'} loaded`}
            problems={items}
          />
        )}
        {notes.length > 0 && (
          <ProblemGroup
            title={`${countOf(notes.length, 'note')} on ${notedFiles === 1 ? 'a prompt file' : 'prompt files'} loaded whole, as written`}
            problems={notes}
          />
        )}
        {renamed.length > 0 && (
          <ProblemGroup title={`${countOf(renamed.length, 'prompt')} loaded under another name, as ${renamed.length === 1 ? 'its name was' : 'their names were'} taken`} problems={renamed} />
        )}
      </div>
      <IconButton icon="close" label="Dismiss" testId="dismiss-problems" onClick={() => useWorkbench.getState().dismissProblems()} />
    </div>
  );
}

function ProblemGroup({ title, problems }: { title: string; problems: readonly FileProblem[] }) {
  return (
    <section className="problems-group">
      <div className="problems-title" data-testid="problems-title">
        {title}
      </div>
      <ul className="problems-list">
        {problems.map((problem, index) => (
          <li key={index} data-testid="problem">
            <code className="problem-location" title={problem.column > 0 ? `column ${problem.column}` : undefined}>
              {problem.file}:{problem.line}
            </code>{' '}
            <span className="problem-message">{problem.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
