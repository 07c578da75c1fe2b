import { describe, expect, it } from 'vitest';
import { escapeProse } from '../../../server/report/escape.js';

describe('escapeProse', () => {
  it('puts code spans in <code> and escapes everything, inside the spans too', () => {
    expect(escapeProse('Look it up with `dig MX <domain>` & retry.')).toBe(
      'Look it up with <code style="font-family:Menlo,Consolas,monospace;font-size:12px">dig MX &lt;domain&gt;</code> &amp; retry.',
    );
  });

  it('leaves text with an unbalanced backtick as text', () => {
    expect(escapeProse('a ` b <c>')).toBe('a ` b &lt;c&gt;');
    expect(escapeProse('no spans')).toBe('no spans');
  });
});
