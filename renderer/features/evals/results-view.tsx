/**
 * The Results tab: past evals on the left; the run form, the open eval's progress, its
 * summaries beside the trend chart, and its grid (with the opened cell beside it) on the right.
 */

import { useShallow } from 'zustand/react/shallow';
import { useWorkbench } from '../../store/workbench-store';
import { CellDetail } from './cell-detail';
import { EvalList } from './eval-list';
import { EvalProgressLine } from './eval-progress';
import { EvalRunForm } from './eval-run-form';
import { EvalSummaries } from './eval-summaries';
import { ResultsGrid } from './results-grid';
import { TrendChart } from './trend-chart';

/** The Results tab. */
export function ResultsView() {
  const { detail, openCell, isLoading, hasTrend } = useWorkbench(
    useShallow((state) => ({ detail: state.openEval, openCell: state.openCell, isLoading: state.isEvalLoading, hasTrend: state.evalTrend.length > 0 })),
  );
  const column = openCell && detail ? detail.columns.find((item) => item.key === openCell.columnKey) : undefined;
  const baselineColumn = openCell?.baseline && detail ? detail.columns.find((item) => item.key === openCell.baseline?.columnKey) : undefined;
  const openCase = openCell && detail ? detail.cases.find((item) => item.id === openCell.caseId) : undefined;
  return (
    <div className="results-view" data-testid="results-view">
      <EvalList />
      <div className="results-main">
        <EvalRunForm />
        {detail === null ? (
          <div className="results-empty">
            <div className="runs-empty">{isLoading ? <p>Loading the eval…</p> : <p>Run an eval to see a row per case and a column per version × model.</p>}</div>
            {hasTrend && <TrendChart />}
          </div>
        ) : (
          <>
            <EvalProgressLine summary={detail} />
            <div className="results-top">
              <EvalSummaries detail={detail} />
              <TrendChart />
            </div>
            <div className="results-body">
              <ResultsGrid detail={detail} />
              {openCell && <CellDetail open={openCell} column={column} baselineColumn={baselineColumn} caseNumber={openCase ? openCase.position + 1 : null} />}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
