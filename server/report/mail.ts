/** Mails a report through the local sendmail: multipart/alternative, the md as text and the html as html. */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { formatRate } from './format.js';
import type { Report } from '../http/contract/report.js';

export interface ReportMail {
  report: Report;
  to: readonly string[];
  html: string;
  text: string;
  /** Path of the sendmail binary (`-t -oi` is passed). */
  sendmail: string;
  /** From address; when absent sendmail uses the running user. */
  from?: string | undefined;
  now: number;
}

/** Base64 in lines of 76 characters, as MIME asks. */
function base64Lines(text: string): string {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  return (b64.match(/.{1,76}/g) ?? []).join('\r\n');
}

/** One header value on one line, RFC 2047-encoded when it is not plain ASCII. */
function headerValue(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');

  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

export function reportSubject(report: Report): string {
  const fresh = report.newProblems.length;
  return (
    `Deliverability report ${report.label}: ${formatRate(report.rates.bounceRate)} bounced, ` +
    `${formatRate(report.rates.deferralRate)} deferred` +
    (fresh > 0 ? `, ${fresh} new problem${fresh === 1 ? '' : 's'}` : '')
  );
}

/** The whole message, CRLF line ends, ready for `sendmail -t`. */
export function composeReportMail(
  mail: Omit<ReportMail, 'sendmail'>,
  boundarySeed = randomBytes(12).toString('hex'),
): string {
  const boundary = `bouncewatch-${boundarySeed}`;
  const headers = [
    ...(mail.from ? [`From: ${headerValue(mail.from)}`] : []),
    `To: ${mail.to.map(headerValue).join(', ')}`,
    `Subject: ${headerValue(reportSubject(mail.report))}`,
    `Date: ${new Date(mail.now).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <report-${boundarySeed}@${headerValue(hostname()).replace(/[^\w.-]/g, '') || 'localhost'}>`,
    'MIME-Version: 1.0',
    'Auto-Submitted: auto-generated',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(body),
    ].join('\r\n');
  return [
    headers.join('\r\n'),
    '',
    'This is a MIME message: the report is in the parts below.',
    '',
    part('text/plain', mail.text),
    part('text/html', mail.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Pipes the message into sendmail; rejects with sendmail's own words when it fails. */
export function sendReportMail(mail: ReportMail): Promise<void> {
  const message = composeReportMail(mail);
  return new Promise((resolve, reject) => {
    const child = spawn(mail.sendmail, ['-t', '-oi'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    child.on('error', (err) => {
      reject(
        new Error(`cannot run ${mail.sendmail}: ${err.message} (set BOUNCEWATCH_SENDMAIL to your sendmail)`),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${mail.sendmail} exited with status ${code ?? 'unknown'}: ${stderr.trim().split('\n')[0] ?? ''}`,
          ),
        );
    });
    child.stdin.on('error', () => {
      // sendmail closed its input early; the close handler reports its status.
    });
    child.stdin.end(message);
  });
}
