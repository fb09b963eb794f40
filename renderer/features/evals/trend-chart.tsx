/**
 * The trend across a prompt's versions: pass rate, mean score or cost of the latest finished eval
 * of each version, one line per model. SVG (recharts), drawn offline.
 */

import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { assertNever } from '../../../shared/assert-never';
import { formatUsd } from '../../../shared/cost';
import type { EvalTrendPoint } from '../../../shared/eval-types';
import { formatPercent } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { useResolvedTheme } from '../settings/use-theme';

/** What the chart plots. */
type Metric = 'passRate' | 'meanScore' | 'cost';

const METRICS: { metric: Metric; label: string }[] = [
  { metric: 'passRate', label: 'Pass rate' },
  { metric: 'meanScore', label: 'Score' },
  { metric: 'cost', label: 'Cost' },
];

/** Series colours per theme: distinct, readable on the panel, none of them the pass/fail colours alone. */
const PALETTES = {
  light: ['#2563c9', '#b4581c', '#7a3fb8', '#12806f', '#b8326a', '#5b6b82'],
  dark: ['#6ea8ff', '#f0a060', '#c59af0', '#4fd1b8', '#f07aa8', '#a8b4c8'],
};

/**
 * Dash patterns per series: two models with the same figures draw the same line, and a solid
 * line under a dashed one still shows both colours (and the legend shows the pattern too).
 */
const DASHES = [undefined, '7 4', '2 3', '10 3 2 3', '4 4', '1 5'];

/** What a row's key for a line ends with to hold the id of the eval its point comes from. */
const EVAL_OF = '#eval';

function valueOf(point: EvalTrendPoint, metric: Metric): number | null {
  switch (metric) {
    case 'passRate':
      return point.passRate;
    case 'meanScore':
      return point.meanScore;
    case 'cost':
      return point.costUsd;
    default:
      return assertNever(metric, 'metric');
  }
}

function formatValue(value: number, metric: Metric): string {
  switch (metric) {
    case 'passRate':
      return formatPercent(value);
    case 'meanScore':
      return value.toFixed(2);
    case 'cost':
      return formatUsd(value);
    default:
      return assertNever(metric, 'metric');
  }
}

/** The chart of the open prompt's trend. */
export function TrendChart() {
  const points = useWorkbench((state) => state.evalTrend);
  const providers = useWorkbench((state) => state.providers);
  const openTargets = useWorkbench((state) => state.openEval?.targets);
  const theme = useResolvedTheme();
  const [metric, setMetric] = useState<Metric>('passRate');

  const { rows, series } = useMemo(() => {
    const seriesKeys = new Map<string, string>();
    for (const point of points) {
      const key = `${point.target.providerId}/${point.target.model}`;
      if (!seriesKeys.has(key)) seriesKeys.set(key, point.target.model);
    }
    // The same model id on two providers needs the provider to tell the lines apart.
    const models = [...seriesKeys.values()];
    const named = [...seriesKeys.entries()].map(([key, model]) => {
      const providerId = Number(key.split('/')[0]);
      const isAmbiguous = models.filter((item) => item === model).length > 1;
      return { key, name: isAmbiguous ? `${model} (${providers.find((provider) => provider.id === providerId)?.label ?? providerId})` : model };
    });
    const versions = [...new Set(points.map((point) => point.version))].sort((left, right) => left - right);
    const byVersion = versions.map((version) => {
      const row: Record<string, number | string | null> = { version: `v${version}` };
      for (const point of points.filter((item) => item.version === version)) {
        const key = `${point.target.providerId}/${point.target.model}`;
        row[key] = valueOf(point, metric);
        // Which eval the point is from, for its tooltip.
        row[`${key}${EVAL_OF}`] = point.evalId;
      }
      return row;
    });
    // Lines in the order the open eval's columns come in, so colours and order match the grid.
    const rank = (key: string) => {
      const index = openTargets?.findIndex((target) => `${target.providerId}/${target.model}` === key) ?? -1;
      return index === -1 ? Number.MAX_SAFE_INTEGER : index;
    };
    named.sort((left, right) => rank(left.key) - rank(right.key));
    return { rows: byVersion, series: named };
  }, [points, metric, providers, openTargets]);

  const palette = PALETTES[theme];
  return (
    <section className="trend-chart" aria-label="Trend across versions" data-testid="trend-chart">
      <div className="trend-header">
        <span className="section-title">Across versions</span>
        <span className="spacer" />
        <div className="segmented" role="radiogroup" aria-label="What to plot">
          {METRICS.map((item) => (
            <button key={item.metric} type="button" role="radio" aria-checked={metric === item.metric} className={metric === item.metric ? 'is-active' : undefined} data-testid={`trend-${item.metric}`} onClick={() => setMetric(item.metric)}>
              {item.label}
            </button>
          ))}
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="trend-empty muted" data-testid="trend-empty">
          Finished evals of saved versions show here, one line per model.
        </p>
      ) : (
        <div className="trend-plot" data-testid="trend-plot" data-points={points.length}>
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 360, height: 150 }}>
            <LineChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} className="trend-grid" />
              <XAxis dataKey="version" tickLine={false} axisLine={false} padding={{ left: 12, right: 12 }} />
              <YAxis
                width={metric === 'cost' ? 64 : 44}
                tickLine={false}
                axisLine={false}
                domain={metric === 'cost' ? [0, 'auto'] : [0, 1]}
                tickFormatter={(value: number) => formatValue(value, metric)}
                tickCount={metric === 'cost' ? 4 : 3}
              />
              <Tooltip
                isAnimationActive={false}
                wrapperClassName="trend-tooltip"
                formatter={(value, _name, item) => {
                  const text = typeof value === 'number' ? formatValue(value, metric) : String(value);
                  const evalId = (item.payload as Record<string, unknown> | undefined)?.[`${String(item.dataKey)}${EVAL_OF}`];
                  return typeof evalId === 'number' ? `${text} (eval #${evalId})` : text;
                }}
              />
              <Legend iconType="plainline" iconSize={12} itemSorter={null} wrapperStyle={{ fontSize: 11 }} />
              {series.map((item, index) => (
                <Line
                  key={item.key}
                  type="linear"
                  dataKey={item.key}
                  name={item.name}
                  stroke={palette[index % palette.length]}
                  strokeWidth={1.6}
                  strokeDasharray={DASHES[index % DASHES.length]}
                  dot={{ r: 3, strokeWidth: 1.4 }}
                  activeDot={{ r: 4 }}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
