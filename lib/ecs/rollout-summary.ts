import { code, md, type Summary } from '../runner/summary.js';
import { phaseRows, rolloutAdvice, rolloutGantt, type PhaseInput } from './rollout-phases.js';
import { healthCheckText } from '../elb/target-groups.js';

/**
 * The job summary's "Where the time went" for a rollout behind target groups (deploy-service and rollback): the
 * phases with their times, the target groups' settings, one line of advice when they make the rollout slow, and the
 * same phases as a Mermaid gantt (GitHub renders it in job summaries).
 */
export function addRolloutPhases(summary: Summary, rollout: PhaseInput | undefined, title: string): void {
  if (!rollout) return;
  const rows = phaseRows(rollout);
  if (rows.length === 0) return;
  summary.heading('Where the time went', 3).table(['Phase', 'UTC', 'Since start'], rows);
  summary.list(
    rollout.groups.map(
      (g) =>
        md`${code(g.name)}: ${healthCheckText(g.healthCheck)}; deregistration delay ${g.deregistrationDelaySeconds} s`,
    ),
  );
  const advice = rolloutAdvice(rollout);
  if (advice) summary.paragraph(md`**Advice:** ${advice}`);
  const gantt = rolloutGantt(rollout, title);
  if (gantt) summary.code(gantt, 'mermaid');
}
