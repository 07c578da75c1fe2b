/** Mail notifier: hands a plain-text message to the local MTA's sendmail (`-t -oi`) on stdin. */

import { spawn } from 'node:child_process';
import type { MailConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { AlertNotification } from '../types.js';
import { bodyLines, titleOf } from './format.js';

/** A header value on one line; RFC 2047 encoded when it is not plain ASCII. */
export function headerText(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  let flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (flat.length > max) flat = `${flat.slice(0, max - 1)}…`;
  if (/^[\u0020-\u007e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

export function mailMessage(n: AlertNotification, mail: MailConfig, host: string): string {
  const headers = [
    ...(mail.from === undefined ? [] : [`From: ${mail.from}`]),
    `To: ${mail.to.join(', ')}`,
    `Subject: ${headerText(`${mail.subjectPrefix} ${titleOf(n)}`.trim())}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    'Auto-Submitted: auto-generated',
    `X-Bouncewatch-Alert: ${headerText(n.alert.key, 200)}`,
  ];
  const body = [`bouncewatch on ${host}`, '', titleOf(n), '', ...bodyLines(n)];
  return `${headers.join('\n')}\n\n${body.join('\n')}\n`;
}

export function createSendmailNotifier(deps: {
  mail: MailConfig;
  log: Logger;
  host: string;
}): (n: AlertNotification) => Promise<void> {
  const { mail, log, host } = deps;
  return (n) =>
    new Promise<void>((resolve) => {
      let stderr = '';
      let settled = false;
      const done = (problem?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (problem !== undefined) log.warn({ sendmail: mail.sendmail, problem }, 'alert mail failed');
        resolve();
      };
      const child = spawn(mail.sendmail, mail.args, { stdio: ['pipe', 'ignore', 'pipe'] });
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        done(`no answer after ${mail.timeoutMs} ms`);
      }, mail.timeoutMs);
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 2_000) stderr += chunk.toString('utf8');
      });
      child.on('error', (err) => done(err.message));
      child.on('close', (code) => {
        done(code === 0 ? undefined : `exit status ${code ?? 'signal'}: ${stderr.trim().slice(0, 300)}`);
      });
      // A sendmail that dies early closes stdin: that EPIPE is reported through 'close'.
      child.stdin.on('error', () => undefined);
      child.stdin.end(mailMessage(n, mail, host));
    });
}
