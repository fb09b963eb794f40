/**
 * The sample library's test suites, seeded on first start, evaluated by the eval engine
 * against the OpenAI fixture through the real SDK: a model that answers each case well passes
 * every check of every case, and no check lacks what it needs (an expected output...).
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { OpenAiChatRequest } from '../../../fixtures/openai-server';
import { addOpenAi, startWorkbench } from '../runs/run-harness';
import { replyText, runEval } from './eval-harness';

const REAL_PROMPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../prompts');

/** What a careful model answers to each sample case, told apart by its system message and its input. */
const GOOD_ANSWERS: { system: string; input: string; answer: string }[] = [
  {
    system: 'support agent',
    input: 'Priya Raman',
    answer: [
      'Hi Priya,',
      '',
      'You did nothing wrong: a newly connected bank account often starts with recent transactions only, and I am not sure how far back Ledgerly imports for your bank.',
      'I have passed your question to a specialist, who will reply within one business day, well before your Friday report.',
      '',
      'The Ledgerly support team',
    ].join('\n'),
  },
  {
    system: 'support agent',
    input: 'Tomás Ortega',
    answer: [
      'Hi Tomás,',
      '',
      'Sorry about the double charge for your annual plan. A billing specialist will look into it and reply within one business day; they decide on refunds.',
      '',
      'The Ledgerly support team',
    ].join('\n'),
  },
  {
    system: 'support agent',
    input: 'Mei Chen',
    answer: [
      'Hi Mei,',
      '',
      'I am not sure whether Ledgerly can export all invoices as one CSV file, so I have passed your question to a specialist, who will reply within one business day.',
      '',
      'The Ledgerly support team',
    ].join('\n'),
  },
  {
    system: 'extract data from invoices',
    input: 'BRIGHTWAVE',
    answer:
      '{"vendor_name": "BRIGHTWAVE STUDIO LTD", "invoice_number": "BW-2024-0317", "invoice_date": "2024-03-18", "due_date": "2024-04-17", "currency": "GBP", "total_amount": 2300, "line_items": [{"description": "Brand workshop (half day)", "quantity": 1, "unit_price": 950}, {"description": "Logo concepts", "quantity": 3, "unit_price": 400}, {"description": "Print-ready files", "quantity": 1, "unit_price": 150}]}',
  },
  {
    system: 'extract data from invoices',
    input: 'Corner Café',
    answer:
      '{"vendor_name": "Corner Café", "invoice_number": "88213", "invoice_date": null, "due_date": null, "currency": null, "total_amount": null, "line_items": [{"description": "flat white", "quantity": 2, "unit_price": null}, {"description": "croissant", "quantity": 1, "unit_price": null}]}',
  },
  {
    system: 'summaries people act on',
    input: 'Northwind Logistics',
    answer: [
      '**TL;DR:** Q3 revenue rose 9% to $412 million, but operating margin fell to 5.8%, so full-year margin guidance drops to 6%.',
      '',
      '**Key points**',
      '- Revenue of $412 million, up 9%, driven by Mexico–US cross-border freight',
      '- Operating margin fell from 7.1% to 5.8% on fuel costs and two underused Monterrey warehouses',
      '- Full-year margin guidance lowered to 6%; revenue guidance kept at $1.6 billion',
      '- The board approved a $50 million share buyback',
      '',
      '**Open questions**',
      '- What happens to margins if the warehouses miss 80% utilisation by the end of Q1?',
    ].join('\n'),
  },
  {
    system: 'summaries people act on',
    input: 'payments service',
    answer: [
      '**TL;DR:** Failed card authorisations are now retried up to three times, only for network errors and HTTP 503, never for declines.',
      '',
      '**Key points**',
      '- Retries back off exponentially: 200 ms, 400 ms, 800 ms, then stop',
      '- Only network errors and HTTP 503 responses are retried; declines never are',
      '- Every attempt reuses the same idempotency key, so a card cannot be charged twice',
      '- An alert fires when over 2% of authorisations in five minutes need a retry',
      '',
      '**Open questions**',
      '- Who receives the alert, and what should they do?',
    ].join('\n'),
  },
  { system: 'summaries people act on', input: 'poem about cats', answer: '**TL;DR:** Nothing to summarize.' },
];

function goodAnswer(request: OpenAiChatRequest) {
  const system = request.messages.find((message) => message.role === 'system')?.content ?? '';
  const user = request.messages.findLast((message) => message.role === 'user')?.content ?? '';
  const found = GOOD_ANSWERS.find((candidate) => system.includes(candidate.system) && user.includes(candidate.input));
  return replyText(found?.answer ?? 'An answer to a case this test does not know.');
}

test('every sample suite, seeded on first start, runs without errors and passes on a model that answers well', async () => {
  const workbench = startWorkbench({ promptsDir: REAL_PROMPTS });
  const openAi = await addOpenAi(workbench, { replyFor: goodAnswer });
  const outcomes: Record<string, string[]> = {};
  for (const prompt of await workbench.call('prompts:list', {})) {
    const { detail } = await runEval(workbench, {
      promptId: prompt.id,
      versions: [prompt.latestVersion ?? 1],
      targets: [{ providerId: openAi.providerId, model: 'gpt-4o-mini' }],
    });
    outcomes[prompt.slug] = [];
    for (const cell of detail.cells) {
      const opened = await workbench.call('evals:cell', { evalId: detail.id, caseId: cell.caseId, columnKey: cell.columnKey });
      const failures = opened.results.filter((result) => !result.isPassed || result.error !== null).map((result) => `${result.assertion.label ?? result.assertion.type}: ${result.reason}`);
      outcomes[prompt.slug].push(`${opened.status} with ${opened.results.length} checks${failures.length === 0 ? '' : `; ${failures.join('; ')}`}`);
    }
  }
  expect(outcomes).toStrictEqual({
    'customer-support': ['passed with 3 checks', 'passed with 4 checks', 'passed with 4 checks'],
    'json-extractor': ['passed with 2 checks', 'passed with 2 checks'],
    summarizer: ['passed with 3 checks', 'passed with 3 checks', 'passed with 3 checks'],
  });
});
