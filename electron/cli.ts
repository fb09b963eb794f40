/**
 * `workbench`: the headless CLI over the engine, for CI pipelines.
 *
 * `workbench eval <prompt name | file.prompt.yml> [options]` (see `workbench eval --help`) runs
 * an eval on the same engine and database as the app and exits 0 when every column's pass rate
 * reaches the threshold, 1 when one does not, 2 for bad arguments or setup, 130 on Ctrl+C.
 */

import fs from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError } from './cli/cli-error';
import { EVAL_USAGE, parseEvalArguments } from './cli/eval-arguments';
import { runEvalCommand } from './cli/eval-command';

const USAGE = `Usage: workbench <command> [options]

Commands:
  eval    run a prompt’s test cases on versions x models and report pass rates (workbench eval --help)`;

function readVersion(): string {
  // Bundled as dist/electron/cli.cjs: the manifest is two folders up.
  for (const candidate of [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', 'package.json')]) {
    try {
      const manifest = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'prompt-workbench') return manifest.version ?? '0.0.0';
    } catch {
      // Not there: try the next place.
    }
  }
  return '0.0.0';
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError(`Give a command\n\n${USAGE}`);
  if (command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.passed;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${readVersion()}\n`);
    return EXIT.passed;
  }
  if (command !== 'eval') throw new UsageError(`Unknown command "${command}"\n\n${USAGE}`);
  const args = parseEvalArguments(rest);
  if (args === null) {
    process.stdout.write(`${EVAL_USAGE}\n`);
    return EXIT.passed;
  }
  let interrupts = 0;
  let onInterrupt: (() => void) | null = null;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupts += 1;
    // A second Ctrl+C (or one before the eval started) quits at once; the next start marks what was running.
    if (interrupts > 1 || onInterrupt === null) process.exit(signal === 'SIGTERM' ? 143 : EXIT.interrupted);
    onInterrupt();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  return runEvalCommand(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    isProgressShown: process.stderr.isTTY === true && !args.isJson,
    environment: process.env,
    appVersion: readVersion(),
    onInterrupt: (handler) => {
      onInterrupt = handler;
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`workbench: ${error.message}\n`);
    else process.stderr.write(`workbench: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.usage);
  },
);
