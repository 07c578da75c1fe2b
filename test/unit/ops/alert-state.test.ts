// The alert state machine alone: findings open, update, hold by cooldown and resolve alerts, with no timers,
// store or notifiers around it.
import { describe, expect, it } from 'vitest';
import {
  applyFindings,
  createAlertState,
  openByRule,
  restoreOpen,
  viewOf,
} from '../../../server/alerts/state.js';
import type { Finding } from '../../../server/alerts/types.js';
import { MINUTE, T0 } from './helpers.js';

const COOLDOWN = 30 * MINUTE;

function finding(key: string, summary = `${key} is bad`): Finding {
  return {
    key,
    rule: key === 'inactivity' ? 'inactivity' : 'bounce-spike',
    subject: key,
    severity: 'warning',
    summary,
    evidence: { window: { from: T0 - MINUTE, to: T0 }, counts: {}, causes: [], examples: [], action: 'act' },
  };
}

const found = (...fs: Finding[]) => new Map(fs.map((f) => [f.key, f]));
const keys = (alerts: readonly { key: string }[]) => alerts.map((a) => a.key);

describe('applyFindings', () => {
  it('opens a new key, updates it while it holds, resolves it when it stops', () => {
    const state = createAlertState();
    let t = applyFindings(state, found(finding('a')), T0, COOLDOWN);
    expect([keys(t.opened), keys(t.updated), keys(t.resolved)]).toEqual([['a'], [], []]);
    expect(t.opened[0]).toMatchObject({ id: null, openedAt: T0, resolvedAt: null, lastNotifiedAt: null });

    t = applyFindings(state, found(finding('a', 'worse'), finding('b')), T0 + MINUTE, COOLDOWN);
    expect([keys(t.opened), keys(t.updated), keys(t.resolved)]).toEqual([['b'], ['a'], []]);
    expect(state.open.get('a')).toMatchObject({ summary: 'worse', openedAt: T0 });

    t = applyFindings(state, found(finding('b')), T0 + 2 * MINUTE, COOLDOWN);
    expect([keys(t.opened), keys(t.updated), keys(t.resolved)]).toEqual([[], ['b'], ['a']]);
    expect(t.resolved[0]!.resolvedAt).toBe(T0 + 2 * MINUTE);
    expect([...state.open.keys()]).toEqual(['b']);
  });

  it('holds a key that fired within the cooldown, and opens it again after', () => {
    const state = createAlertState();
    applyFindings(state, found(finding('a')), T0, COOLDOWN);
    applyFindings(state, found(), T0 + MINUTE, COOLDOWN);
    expect(applyFindings(state, found(finding('a')), T0 + COOLDOWN - 1, COOLDOWN).opened).toEqual([]);
    expect(state.open.size).toBe(0);
    expect(keys(applyFindings(state, found(finding('a')), T0 + COOLDOWN, COOLDOWN).opened)).toEqual(['a']);
  });

  it('takes back alerts open before a restart, with their cooldown', () => {
    const state = createAlertState();
    const before = {
      ...finding('a'),
      id: 7,
      openedAt: T0 - MINUTE,
      resolvedAt: null,
      lastNotifiedAt: T0 - MINUTE,
    };
    restoreOpen(state, before);
    const t = applyFindings(state, found(finding('a')), T0, COOLDOWN);
    expect([keys(t.opened), keys(t.updated)]).toEqual([[], ['a']]);
    expect(openByRule(state)).toEqual(new Map([['bounce-spike', 1]]));
    expect(viewOf(state.open.get('a')!)).not.toHaveProperty('lastNotifiedAt');
    expect(viewOf(state.open.get('a')!)).toMatchObject({ id: 7, openedAt: T0 - MINUTE });
  });
});
