/** How a classification was decided, in words: the `reason` field and the dashboard's conflict note. */

import type { Meaning } from './meanings.js';
import type { ClassJudgement } from './reply-class.js';
import type { SmtpStage } from '../parsers/types.js';
import type { FailureClass } from './types.js';

export type Decision =
  | { kind: 'provider'; provider: string; label: string }
  | { kind: 'meaning'; meaning: Meaning; strong: boolean }
  | { kind: 'code'; status: string }
  | { kind: 'basic'; reply: number; stage: SmtpStage | null }
  | { kind: 'outcome' }
  | { kind: 'none' };

/** The class decision in one sentence, naming what disagreed and why the decider wins. */
export function classReason(j: ClassJudgement, fromWording: FailureClass | null = null): string {
  if (j.klass === null) {
    return fromWording === null
      ? 'Nothing tells temporary from permanent.'
      : `Class ${fromWording} from the wording (no code or outcome).`;
  }
  const base = `Class ${j.klass} from the ${j.from} ${j.decidedBy}`;
  if (j.against.length === 0) return `${base}.`;
  const why =
    j.from === 'enhanced status'
      ? 'the enhanced status refines the reply code (RFC 3463)'
      : j.from === 'reply code'
        ? 'the reply code is what the server said'
        : 'it is what the MTA did';
  return `${base}, although ${j.against.join(' and ')}: ${why}.`;
}
