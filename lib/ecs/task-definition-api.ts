import { Readable } from 'node:stream';
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type Tag,
} from '@aws-sdk/client-ecs';
import { toRegisterRequest, type TaskDefinitionJson } from './task-definitions.js';

/**
 * Describe and register task definitions as raw JSON. The SDK's (de)serialisers keep only the fields of its own
 * model, so a field newer than the bundled SDK would be dropped on the way in and out; these calls bypass that
 * while still using the SDK for signing, retries and endpoints.
 */

export interface DescribedTaskDefinition {
  definition: TaskDefinitionJson;
  tags: Tag[];
}

export async function describeTaskDefinition(ecs: ECSClient, ref: string): Promise<DescribedTaskDefinition> {
  const command = new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] });
  const raw = captureRawResponse(command);
  const output = await ecs.send(command);
  const body = raw() as { taskDefinition?: TaskDefinitionJson; tags?: Tag[] } | undefined;
  return {
    definition: body?.taskDefinition ?? (output.taskDefinition as TaskDefinitionJson),
    tags: body?.tags ?? output.tags ?? [],
  };
}

/** Registers a new revision recreating `definition` (read-only fields dropped, unknown fields kept). */
export async function registerTaskDefinition(
  ecs: ECSClient,
  definition: TaskDefinitionJson,
  tags: Tag[] = [],
): Promise<TaskDefinitionJson> {
  const request = toRegisterRequest(definition, tags);
  const command = new RegisterTaskDefinitionCommand(request as never);
  replaceRequestBody(command, JSON.stringify(request));
  const raw = captureRawResponse(command);
  const output = await ecs.send(command);
  const body = raw() as { taskDefinition?: TaskDefinitionJson } | undefined;
  return body?.taskDefinition ?? (output.taskDefinition as TaskDefinitionJson);
}

type AnyCommand = { middlewareStack: { add: (middleware: never, options: never) => void } };

function replaceRequestBody(command: AnyCommand, body: string): void {
  command.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>) =>
      async (args: { request: { body?: unknown; headers: Record<string, string> } }) => {
        args.request.body = body;
        args.request.headers['content-length'] = String(Buffer.byteLength(body));
        return next(args);
      }) as never,
    { step: 'build', name: 'rawTaskDefinitionBody', override: true } as never,
  );
}

function captureRawResponse(command: AnyCommand): () => unknown {
  let parsed: unknown;
  command.middlewareStack.add(
    ((next: (args: unknown) => Promise<{ response: { statusCode?: number; body?: unknown } }>) =>
      async (args: unknown) => {
        const result = await next(args);
        const { response } = result;
        if (response?.statusCode === 200 && response.body && typeof (response.body as Readable).pipe === 'function') {
          const chunks: Buffer[] = [];
          for await (const chunk of response.body as Readable) chunks.push(Buffer.from(chunk));
          const text = Buffer.concat(chunks);
          try {
            parsed = JSON.parse(text.toString('utf8'));
          } catch {
            parsed = undefined;
          }
          response.body = Readable.from([text]);
        }
        return result;
      }) as never,
    { step: 'deserialize', priority: 'low', name: 'rawTaskDefinitionResponse', override: true } as never,
  );
  return () => parsed;
}
