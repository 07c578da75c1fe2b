// Reply shapes: the same reply with other ids, addresses or IPs groups together; other codes do not.
import { describe, expect, it } from 'vitest';
import { replyShape } from '../../../db/sqlite/read/report-shape.js';

describe('replyShape', () => {
  it('ignores addresses, ids, IPs and case', () => {
    const a = replyShape('450 4.2.0 <grey0@example.net>: Recipient address rejected: Greylisted');
    const b = replyShape('450 4.2.0 <Other@Example.NET>: recipient address rejected: greylisted');
    expect(a).toBe(b);
    expect(replyShape('550 5.7.1 Client host [198.51.100.9] blocked (AS3130)')).toBe(
      replyShape('550 5.7.1 Client host [203.0.113.77] blocked (AS17)'),
    );
    expect(replyShape('250 2.0.0 OK  1763280001 x12si1 - gsmtp')).toBe('250 2.0.0 ok # # - gsmtp');
  });

  it('keeps reply and enhanced status codes apart', () => {
    expect(replyShape('550 5.1.1 no such user')).not.toBe(replyShape('550 5.2.1 no such user'));
    expect(replyShape('421 4.7.0 [TSS04] deferred')).not.toBe(replyShape('451 4.7.0 [TSS04] deferred'));
    expect(replyShape('550-5.1.1 The email account')).toBe('550-5.1.1 the email account');
  });
});
