import { parseWorkflowCommand } from '../run-bundle.js';
import type { Style } from './style.js';

/**
 * Turns an action's raw stdout, line by line, into what a person sees in a GitHub job log: workflow commands are
 * interpreted (groups become headers with their lines indented, annotations are highlighted, debug lines and
 * `::add-mask::` are hidden) and every registered secret is shown as `***`, as the runner does.
 */

/** Replaces every secret with `***`, longest first so a secret containing another is hidden whole. */
export function applyMasks(text: string, masks: ReadonlySet<string>): string {
  let masked = text;
  for (const secret of [...masks].sort((a, b) => b.length - a.length)) {
    if (secret !== '') masked = masked.split(secret).join('***');
  }
  return masked;
}

const ANNOTATION_LABEL = { error: 'Error', warning: 'Warning', notice: 'Notice' } as const;

export class LogRenderer {
  private depth = 0;

  /** `masks` may be shared between runs: a secret registered once is hidden everywhere after, as in a job. */
  constructor(
    private readonly style: Style,
    readonly masks: Set<string> = new Set(),
  ) {}

  /** The display lines for one raw stdout line (none for hidden commands). */
  render(raw: string): string[] {
    const line = raw.replace(/\r$/, '');
    const command = parseWorkflowCommand(line);
    const indent = '  '.repeat(this.depth);
    if (!command) return [indent + applyMasks(line, this.masks)];
    const { name, properties, data } = command;
    switch (name) {
      case 'add-mask':
        this.masks.add(data);
        return [];
      case 'debug':
      case 'save-state':
      case 'set-output':
        return [];
      case 'group':
        this.depth = 1;
        return [this.style.cyan(`▾ ${applyMasks(data, this.masks)}`)];
      case 'endgroup':
        this.depth = 0;
        return [];
      case 'error':
      case 'warning':
      case 'notice': {
        const colour = name === 'error' ? this.style.red : name === 'warning' ? this.style.yellow : this.style.cyan;
        const title = properties.title ? `${properties.title}: ` : '';
        const [first = '', ...rest] = applyMasks(data, this.masks).split('\n');
        return [
          colour(this.style.bold(`${ANNOTATION_LABEL[name]}: ${title}`) + first),
          ...rest.map((text) => (text.trim() === '' ? '' : colour(`  ${text}`))),
        ].map((text) => indent + text);
      }
      default:
        return [indent + applyMasks(line, this.masks)];
    }
  }
}
