/**
 * The options of a prompt picker (History's Prompt filter, the Evals view's prompt).
 */

import type { PromptSummary } from '../../../shared/types';

/**
 * Every prompt of `prompts` by name, in their order; the archived ones after the others, under
 * “Archived” and each named “(archived)”, so a picker closed on one says so too.
 */
export function PromptOptions({ prompts }: { prompts: PromptSummary[] }) {
  const archived = prompts.filter((prompt) => prompt.isArchived);
  return (
    <>
      {prompts
        .filter((prompt) => !prompt.isArchived)
        .map((prompt) => (
          <option key={prompt.id} value={prompt.id}>
            {prompt.name}
          </option>
        ))}
      {archived.length > 0 && (
        <optgroup label="Archived">
          {archived.map((prompt) => (
            <option key={prompt.id} value={prompt.id}>
              {`${prompt.name} (archived)`}
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
}
