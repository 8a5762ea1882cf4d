import type { CommandBehaviour, ImageBehaviour } from '../model.js';

/** What each image does, scripted per scenario: exact image strings, or patterns ending in '*'. */
export class Behaviours {
  private readonly exact = new Map<string, ImageBehaviour>();
  private readonly patterns: Array<{ prefix: string; behaviour: ImageBehaviour }> = [];

  define(image: string, behaviour: ImageBehaviour): void {
    if (image.endsWith('*')) {
      const prefix = image.slice(0, -1);
      const existing = this.patterns.findIndex((p) => p.prefix === prefix);
      if (existing >= 0) this.patterns.splice(existing, 1);
      this.patterns.push({ prefix, behaviour });
      // Longest prefix wins.
      this.patterns.sort((a, b) => b.prefix.length - a.prefix.length);
    } else {
      this.exact.set(image, behaviour);
    }
  }

  /** Lets the held tasks of `image` (an exact image or a 'prefix*' pattern, as defined) go on to RUNNING. */
  release(image: string): void {
    const behaviour = image.endsWith('*')
      ? this.patterns.find((p) => p.prefix === image.slice(0, -1))?.behaviour
      : this.exact.get(image);
    if (behaviour) behaviour.held = false;
  }

  of(image: string): ImageBehaviour {
    return this.exact.get(image) ?? this.patterns.find((p) => image.startsWith(p.prefix))?.behaviour ?? {};
  }
}

/** The one-off behaviour for an effective command: exact key, then longest 'prefix*' key, then '*'. */
export function commandBehaviour(behaviour: ImageBehaviour, command: string): CommandBehaviour | undefined {
  const commands = behaviour.commands;
  if (!commands) return undefined;
  if (commands[command]) return commands[command];
  const prefixed = Object.keys(commands)
    .filter((key) => key.length > 1 && key.endsWith('*') && command.startsWith(key.slice(0, -1)))
    .sort((a, b) => b.length - a.length);
  if (prefixed.length > 0) return commands[prefixed[0]];
  return commands['*'];
}

/** Log lines a command writes: a count generates 'line i of N'. */
export function commandLines(logLines: number | string[]): string[] {
  if (Array.isArray(logLines)) return logLines;
  return Array.from({ length: logLines }, (_, i) => `line ${i + 1} of ${logLines}`);
}

export const DEFAULT_START_SECONDS = 10;
export const DEFAULT_UNHEALTHY_SECONDS = 30;
export const DEFAULT_HEALTHY_SECONDS = 5;

export function pullFailureReason(image: string): string {
  return `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`;
}
