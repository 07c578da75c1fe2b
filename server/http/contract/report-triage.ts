/** The weekly report's Senders and Server sections: who submitted the period's mail, and the MTA's own health. */

import { z } from 'zod';
import { countSchema } from './common.js';
import { component } from './registry.js';
import { senderSchema, warningGroupSchema } from './triage.js';

const rate = z.number().min(0).max(1).nullable();
const keyCount = z.object({ key: z.string(), count: countSchema });
/** An instant in the report's time zone, ISO 8601 with its offset. */
const instant = z.string();

const tlsSideSchema = z.object({
  sessions: countSchema.describe('messages received (inbound) or remote delivery attempts (outbound)'),
  tls: countSchema,
  share: rate,
});

export const reportServerSchema = component(
  'ReportServer',
  z.object({
    warnings: z
      .array(warningGroupSchema.extend({ first: instant, last: instant }))
      .describe(
        "warning, fatal and panic lines by shape, most first (at most 50); the panics of Exim's paniclog, where it was read, are among them",
      ),
    volume: z
      .object({
        received: z.object({ messages: countSchema, bytes: countSchema }),
        delivered: z.object({ recipients: countSchema, bytes: countSchema }),
      })
      .describe(
        "as pflogsumm counts: messages queued and their sizes; recipients delivered, each with its message's size",
      ),
    auth: z.object({
      failures: countSchema.describe('failed SASL logins'),
      byIp: z.array(keyCount),
      byUser: z.array(keyCount),
    }),
    tls: z.object({ inbound: tlsSideSchema, outbound: tlsSideSchema }),
  }),
  "The MTA's own health over the period.",
);
export type ReportServer = z.infer<typeof reportServerSchema>;

export const reportSendersSchema = z
  .array(senderSchema)
  .describe('top submitters (at most 50): per SASL user, and per sender address where there is none');
export const reportSenderIpsSchema = z
  .array(senderSchema)
  .describe('top submitting client IPs (at most 50), their sender the one they used most');
