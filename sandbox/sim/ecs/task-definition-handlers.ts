import { clientError } from '../core/errors.js';
import { page } from '../core/pagination.js';
import { describeTaskDefinition } from './task-definitions.js';
import type { Handler } from '../model.js';
import type { World } from '../world.js';

/** RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions(+Families), DeregisterTaskDefinition. */

export function taskDefinitionsApi(world: World): Record<string, Handler> {
  const store = world.taskDefinitions;
  const view = (td: Parameters<typeof describeTaskDefinition>[0]) => describeTaskDefinition(td, world.callerArn);
  return {
    RegisterTaskDefinition(input) {
      const td = store.register(input, Date.now());
      return { taskDefinition: view(td), tags: td.tags };
    },
    DescribeTaskDefinition(input) {
      const td = typeof input.taskDefinition === 'string' ? store.find(input.taskDefinition) : undefined;
      if (!td) throw clientError('Unable to describe task definition.');
      const withTags = Array.isArray(input.include) && input.include.includes('TAGS');
      return { taskDefinition: view(td), ...(withTags ? { tags: td.tags } : {}) };
    },
    DeregisterTaskDefinition(input) {
      return { taskDefinition: view(store.deregister(String(input.taskDefinition ?? ''), Date.now())) };
    },
    ListTaskDefinitions(input) {
      const status = input.status ?? 'ACTIVE';
      const arns = store
        .all()
        .filter((td) => (input.familyPrefix ? td.family === input.familyPrefix : true) && td.status === status)
        .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision)
        .map((td) => td.arn);
      if (input.sort === 'DESC') arns.reverse();
      const { page: taskDefinitionArns, nextToken } = page(arns, input);
      return { taskDefinitionArns, ...(nextToken ? { nextToken } : {}) };
    },
    ListTaskDefinitionFamilies(input) {
      const status = input.status ?? 'ACTIVE';
      const families = store
        .familyNames()
        .filter((f) => !input.familyPrefix || f.startsWith(input.familyPrefix))
        .filter((f) => status === 'ALL' || store.all().some((td) => td.family === f && td.status === status))
        .sort();
      const { page: result, nextToken } = page(families, input);
      return { families: result, ...(nextToken ? { nextToken } : {}) };
    },
  };
}
