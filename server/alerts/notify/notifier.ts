/** Fans one alert notification out to every configured target; a failing target is logged, never thrown. */

import { hostname } from 'node:os';
import type { NotifyConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { AlertNotification, Notify } from '../types.js';
import { createSendmailNotifier } from './sendmail.js';
import { createWebhookNotifier, type FetchLike } from './webhook.js';

export type { FetchLike };

export function createNotifier(deps: {
  config: NotifyConfig;
  fetch: FetchLike;
  log: Logger;
  host?: string;
}): Notify {
  const host = deps.host ?? hostname();
  const log = deps.log.child({ component: 'notify' });
  const targets: { sendResolved: boolean; send: (n: AlertNotification) => Promise<void> }[] = [
    ...deps.config.webhooks.map((target) => ({
      sendResolved: target.sendResolved,
      send: createWebhookNotifier({ target, fetch: deps.fetch, log, host }),
    })),
    ...(deps.config.mail
      ? [
          {
            sendResolved: deps.config.mail.sendResolved,
            send: createSendmailNotifier({ mail: deps.config.mail, log, host }),
          },
        ]
      : []),
  ];
  return async (n) => {
    const chosen = targets.filter((t) => n.status === 'firing' || t.sendResolved);
    const results = await Promise.allSettled(chosen.map((t) => t.send(n)));
    for (const r of results)
      if (r.status === 'rejected') log.warn({ err: r.reason as unknown }, 'notifier failed');
  };
}
