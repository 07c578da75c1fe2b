/** Webhook notifiers: a generic JSON document, or a Slack-compatible {text, blocks} message. */

import type { WebhookConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { AlertNotification } from '../types.js';
import { bodyLines, titleOf } from './format.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The generic payload: stable field names, times as ISO strings. */
function jsonPayload(n: AlertNotification, host: string): Record<string, unknown> {
  const a = n.alert;
  return {
    version: 1,
    source: 'bouncewatch',
    host,
    status: n.status,
    alert: {
      id: a.id,
      key: a.key,
      rule: a.rule,
      subject: a.subject,
      severity: a.severity,
      summary: a.summary,
      openedAt: new Date(a.openedAt).toISOString(),
      resolvedAt: a.resolvedAt === null ? null : new Date(a.resolvedAt).toISOString(),
      evidence: a.evidence,
    },
  };
}

/** Slack mrkdwn treats &, < and > as markup: reply text from remote servers must not become links or mentions. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SECTION_MAX = 2_900;

/** Slack has no escape inside a code block: a zero-width space between backticks keeps a reply's ``` from closing it. */
export function fenceSafe(text: string): string {
  return text.replace(/`(?=`)/g, '`\u200b');
}

export function slackPayload(n: AlertNotification, host: string): { text: string; blocks: unknown[] } {
  const title = escapeSlack(titleOf(n));
  let body = fenceSafe(escapeSlack(bodyLines(n).join('\n')));
  if (body.length > SECTION_MAX) body = `${body.slice(0, SECTION_MAX)}\n…`;
  return {
    text: `[bouncewatch ${escapeSlack(host)}] ${title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`\n${body}\n\`\`\`` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `bouncewatch on ${escapeSlack(host)} · ${n.alert.key}` }],
      },
    ],
  };
}

export function createWebhookNotifier(deps: {
  target: WebhookConfig;
  fetch: FetchLike;
  log: Logger;
  host: string;
}): (n: AlertNotification) => Promise<void> {
  const { target, fetch, log, host } = deps;
  const where = (() => {
    try {
      return new URL(target.url).host; // never log the path: webhook paths are secrets
    } catch {
      return 'webhook';
    }
  })();
  return async (n) => {
    const body = target.format === 'slack' ? slackPayload(n, host) : jsonPayload(n, host);
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'bouncewatch', ...target.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(target.timeoutMs),
      });
      if (!res.ok) log.warn({ target: where, status: res.status }, 'webhook refused the alert');
      // Drain the body so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      log.warn({ target: where, err: err instanceof Error ? err.message : String(err) }, 'webhook failed');
    }
  };
}
