/**
 * The release workspace: the repository, the approved versions to release with their preview,
 * import, and the release history beside them.
 */

import { useEffect } from 'react';
import { useWorkbench } from '../../store/workbench-store';
import { ImportSection } from './import-section';
import { ReleaseHistory } from './release-history';
import { RepositorySection } from './repository-section';
import { ReleaseSection } from './release-section';
import './release.css';

/** The workspace. */
export function ReleaseView() {
  useEffect(() => {
    void useWorkbench.getState().loadReleaseOverview();
  }, []);
  return (
    <div className="release-view workspace-page" data-testid="release-view">
      <div className="release-main">
        <RepositorySection />
        <ReleaseSection />
        <ImportSection />
      </div>
      <ReleaseHistory />
    </div>
  );
}
