/**
 * Schema v5: approvals, the release repository and releases. Appended to MIGRATIONS in database.ts.
 *
 * - `version_approvals`: who approved a version, when, with which note, and the eval gate it
 *   passed (if one was asked for). `prompt_versions.status` says `approved` while a row exists;
 *   both change in one transaction. A released version's approval cannot be withdrawn (the
 *   trigger refuses the delete), so history never shows a release of an unapproved version.
 * - `release_repository`: the one Git working tree releases go to (path, folder inside it,
 *   optional remote and branch). Never credentials: Git's own config and helpers hold those.
 * - `releases`: one row per prompt version released: the commit (shared by the prompts of a
 *   batch release), the annotated tag, the file written, and what the push did. The prompt's
 *   slug and name are copied so history stays true after a rename or delete.
 */
export const RELEASE_SCHEMA = `
  CREATE TABLE version_approvals (
    version_id     INTEGER PRIMARY KEY REFERENCES prompt_versions (id) ON DELETE CASCADE,
    prompt_id      INTEGER NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    version_number INTEGER NOT NULL,
    note           TEXT NOT NULL,
    approved_by    TEXT NOT NULL,
    approved_at    TEXT NOT NULL,
    gate_json      TEXT
  ) STRICT;
  CREATE INDEX version_approvals_by_prompt ON version_approvals (prompt_id, version_number);

  CREATE TABLE release_repository (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    path       TEXT NOT NULL,
    folder     TEXT NOT NULL,
    remote     TEXT,
    branch     TEXT,
    updated_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE releases (
    id              INTEGER PRIMARY KEY,
    prompt_id       INTEGER REFERENCES prompts (id) ON DELETE SET NULL,
    prompt_slug     TEXT NOT NULL,
    prompt_name     TEXT NOT NULL,
    version_number  INTEGER NOT NULL,
    note            TEXT NOT NULL,
    repository_path TEXT NOT NULL,
    file_path       TEXT NOT NULL,
    commit_sha      TEXT NOT NULL,
    tag             TEXT NOT NULL,
    branch          TEXT NOT NULL,
    remote          TEXT,
    push_status     TEXT NOT NULL CHECK (push_status IN ('not-requested', 'pushed', 'rejected', 'failed')),
    push_message    TEXT,
    released_at     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX releases_by_prompt ON releases (prompt_id, version_number, id);
  CREATE INDEX releases_by_commit ON releases (commit_sha);

  CREATE TRIGGER released_approvals_stay
  BEFORE DELETE ON version_approvals
  WHEN EXISTS (SELECT 1 FROM releases WHERE prompt_id = old.prompt_id AND version_number = old.version_number)
    AND EXISTS (SELECT 1 FROM prompt_versions WHERE id = old.version_id)
  BEGIN
    SELECT RAISE(ABORT, 'a released version stays approved');
  END;
`;
