import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeFolder, releaseFilePath, releaseTag } from '../../../../electron/core/release/release-paths';
import { WorkbenchError } from '../../../../shared/errors';
import { makeTempDir } from '../../support';

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof WorkbenchError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('release paths', () => {
  it('normalizes folders inside the repository and refuses the rest', () => {
    expect(
      ['prompts', './prompts/', 'a//b/./c', '', '.', 'team\\prompts', '../outside', 'a/../../b', '/etc', 'C:/x', '.git', 'x/.GIT/y'].map((folder) => {
        const outcome = refusal(() => normalizeFolder(folder));
        return outcome === 'accepted' ? normalizeFolder(folder) : `refused: ${outcome}`;
      }),
    ).toStrictEqual([
      'prompts',
      'prompts',
      'a/b/c',
      '',
      '',
      'team/prompts',
      'refused: The release folder "../outside" leaves the repository (..); pick a folder inside it',
      'refused: The release folder "a/../../b" leaves the repository (..); pick a folder inside it',
      'refused: The release folder "/etc" must be relative to the repository, like prompts/',
      'refused: The release folder "C:/x" must be relative to the repository, like prompts/',
      'refused: The release folder ".git" is inside .git, where Git keeps its own data',
      'refused: The release folder "x/.GIT/y" is inside .git, where Git keeps its own data',
    ]);
  });

  it('puts a slug in the folder as <slug>.prompt.yml, and refuses slugs and links that lead elsewhere', () => {
    const root = makeTempDir();
    const outside = makeTempDir();
    fs.mkdirSync(path.join(root, 'linked'));
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync(path.join(outside, 'file.yml'), path.join(root, 'linked', 'trap.prompt.yml'));
    fs.mkdirSync(path.join(root, 'prompts', 'folder.prompt.yml'), { recursive: true });
    const cases: [string, string][] = [
      ['prompts', 'summarizer'],
      ['', 'summarizer'],
      ['prompts', '../evil'],
      ['prompts', 'a/b'],
      ['prompts', 'Upper'],
      ['prompts', ''],
      ['prompts', '摘要'],
      ['prompts', 'резюме-писем'],
      ['prompts', 'Резюме'],
      ['prompts', 'a.b'],
      ['prompts', 'crème'],
      ['prompts', 'a--b'],
      ['escape', 'summarizer'],
      ['linked', 'trap'],
      ['prompts', 'folder'],
    ];
    expect(cases.map(([folder, slug]) => refusal(() => releaseFilePath(root, folder, slug)) === 'accepted' ? releaseFilePath(root, folder, slug) : refusal(() => releaseFilePath(root, folder, slug)))).toStrictEqual([
      'prompts/summarizer.prompt.yml',
      'summarizer.prompt.yml',
      'The prompt’s slug "../evil" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'The prompt’s slug "a/b" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'The prompt’s slug "Upper" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'The prompt’s slug "" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'prompts/摘要.prompt.yml',
      'prompts/резюме-писем.prompt.yml',
      'The prompt’s slug "Резюме" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'The prompt’s slug "a.b" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'The prompt’s slug "crème" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'The prompt’s slug "a--b" cannot be a file name in the release folder (it must be lower-case letters, digits and dashes); nothing was written',
      'escape is a symbolic link to a place outside the repository; a release writes only real files inside the repository',
      'linked/trap.prompt.yml is a symbolic link to a place outside the repository; a release writes only real files inside the repository',
      'prompts/folder.prompt.yml exists and is not a file; nothing was written',
    ]);
    expect(releaseTag('summarizer', 12)).toBe('summarizer/v12');
  });
});
