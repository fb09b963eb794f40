/**
 * The notice listing prompt files that could not be loaded, each as `file:line message`.
 */

import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icons';
import { IconButton } from '../../components/icon-button';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';

/** The problems notice, above the editor while it is open. */
export function ProblemsNotice() {
  const { problems, isOpen } = useWorkbench(useShallow((state) => ({ problems: state.problems, isOpen: state.isProblemsNoticeOpen })));
  if (!isOpen || problems.length === 0) return null;
  return (
    <div className="problems-notice" role="alert" data-testid="problems-notice">
      <Icon name="warning" className="problems-icon" />
      <div className="problems-body">
        <div className="problems-title">
          {countOf(problems.length, 'problem')} in prompt files — {problems.length === 1 ? 'this file was' : 'these files were'} not loaded
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
      </div>
      <IconButton icon="close" label="Dismiss" testId="dismiss-problems" onClick={() => useWorkbench.getState().dismissProblems()} />
    </div>
  );
}
