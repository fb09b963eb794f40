/** Where the workbench keeps its data, the same folder Electron's `userData` names, so both hosts share it. */

import os from 'node:os';
import path from 'node:path';

/** The product name, which names the user-data folder. */
export const PRODUCT_NAME = 'Prompt Workbench';

/** The default data folder for this OS, unless `WORKBENCH_DATA_DIR` overrides it. */
export function defaultDataDir(environment: NodeJS.ProcessEnv = process.env): string {
  const override = environment.WORKBENCH_DATA_DIR;
  if (override && override.trim() !== '') return path.resolve(override);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32':
      return path.join(environment.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    default:
      return path.join(environment.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
  }
}
