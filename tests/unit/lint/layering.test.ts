import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The messages of the layer rule for `code` placed at `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layer rules (ARCHITECTURE.md) are lint errors', () => {
  test.each([
    ['electron/core/engine-probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/web/web-probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/host/host-probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['renderer/features/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['renderer/features/probe.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['renderer/features/probe2.ts', "import { createEngine } from '../../electron/core/engine';\nexport const x = createEngine;\n"],
    ['shared/probe.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['shared/probe2.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
  ])('%s is refused', async (file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors.length > 0 && errors.every((message) => message.includes('Bad layering'))).toBe(true);
  });

  test.each([
    ['electron/main.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/core/engine-probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['renderer/features/probe.ts', "import { calls } from '../../shared/contract';\nexport const x = calls;\n"],
  ])('%s is allowed', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
