/**
 * A unified diff as text, each line coloured by what it is (added, removed, hunk, header).
 */

function lineKind(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff --git') || line.startsWith('index ') || line.startsWith('new file')) {
    return 'diff-header';
  }
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-added';
  if (line.startsWith('-')) return 'diff-removed';
  if (line.startsWith('\\')) return 'diff-note';
  return 'diff-context';
}

/** The diff, scrollable, one `<span>` per line. */
export function DiffText({ diff, testId }: { diff: string; testId?: string }) {
  const lines = diff.endsWith('\n') ? diff.slice(0, -1).split('\n') : diff.split('\n');
  return (
    <pre className="diff-text" data-testid={testId} tabIndex={0} aria-label="Diff of the files the release commits">
      {lines.map((line, index) => (
        <span key={index} className={lineKind(line)}>
          {line === '' ? ' ' : line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
