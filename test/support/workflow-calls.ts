import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import type { ReusableWorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { TokenType } from '@actions/workflow-parser/templates/tokens/types';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';

/**
 * Every workflow and example, read by GitHub's own parser (@actions/workflow-parser), with each reusable-workflow call
 * checked against the `on.workflow_call` of the workflow it calls: the parser reports an unknown input or secret and a
 * missing required one; `mistypedInputs` adds what it leaves out, a literal of the wrong type.
 */

/** The suite's reusable workflows as callers name them (`owner/repo/.github/workflows/x.yml@sha`), read from this tree. */
const SUITE_REPOSITORY = 'bartgottschalk/startupwebapp-deploy-actions';

/**
 * Where a called workflow lives in this repository: the suite's own by path; a caller's local workflow
 * (`./.github/workflows/tests.yml` in the server repository) is the example beside the caller.
 */
function calledFile(ref: FileReference, caller: string): string {
  if ('repository' in ref) {
    if (`${ref.owner}/${ref.repository}` !== SUITE_REPOSITORY)
      throw new Error(`unknown repository ${ref.owner}/${ref.repository}`);
    return ref.path;
  }
  return caller.startsWith('examples/') ? join(dirname(caller), relative('.github/workflows', ref.path)) : ref.path;
}

export interface ParsedCaller {
  path: string;
  /** The parser's errors (schema, expressions, and the calls' unknown or missing inputs and secrets). */
  errors: string[];
  template: WorkflowTemplate;
}

export async function parseWithCalls(
  path: string,
  content = readFileSync(join(REPO_ROOT, path), 'utf8'),
): Promise<ParsedCaller> {
  const trace = new NoOperationTraceWriter();
  const parsed = parseWorkflow({ name: path, content }, trace);
  const provider = {
    getFileContent: (ref: FileReference) => {
      const file = calledFile(ref, path);
      return Promise.resolve({ name: file, content: readFileSync(join(REPO_ROOT, file), 'utf8') });
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value as TemplateToken, provider, {
    fetchReusableWorkflowDepth: 1,
  });
  const errors = [
    ...parsed.context.errors.getErrors().map((error) => error.message),
    ...(template.errors ?? []).map((error) => error.Message),
  ];
  return { path, errors: [...new Set(errors)], template };
}

const LITERAL_TYPES: Record<string, TokenType[]> = {
  boolean: [TokenType.Boolean],
  number: [TokenType.Number],
  string: [TokenType.String],
};

/** `job: input (type) got <token type>` for every literal `with:` value whose type differs from the called input's. */
export function mistypedInputs(template: WorkflowTemplate): string[] {
  const problems: string[] = [];
  for (const job of template.jobs) {
    if (job.type !== 'reusableWorkflowJob') continue;
    const called = job as ReusableWorkflowJob;
    const types = new Map<string, string>();
    for (const pair of called['input-definitions'] ?? []) {
      const spec = pair.value.assertMapping('input');
      for (const field of spec) {
        if (field.key.assertString('key').value === 'type') {
          types.set(pair.key.assertString('name').value.toLowerCase(), field.value.assertString('type').value);
        }
      }
    }
    for (const pair of called['input-values'] ?? []) {
      const name = pair.key.assertString('name').value;
      const type = types.get(name.toLowerCase());
      const token = pair.value.templateTokenType;
      if (!type || token === TokenType.BasicExpression || token === TokenType.InsertExpression) continue;
      if (!(LITERAL_TYPES[type] ?? []).includes(token)) {
        problems.push(`${called.id.value}: ${name} (${type}) got ${TokenType[token].toLowerCase()}`);
      }
    }
  }
  return problems;
}
