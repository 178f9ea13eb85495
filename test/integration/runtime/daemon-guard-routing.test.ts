/**
 * The daemon's pure parts: the mass-change guard's arithmetic over batches, and which pairs an inbox
 * event is routed to (Mailchimp hints carry `list_id`: another audience's events are not the pair's).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyPlan, type ItemPlan } from '../../../src/engine/process/item-plan.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-types.js';
import { createMassChangeGuard, isDestructive } from '../../../src/runtime/daemon/mass-change-guard.js';
import { routeEvent } from '../../../src/runtime/daemon/pair-routing.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { asRemoteId, asSystemId } from '../../../src/shared/ids.js';

function plan(kind: 'delete' | 'blank' | 'update'): ItemPlan {
  const p = emptyPlan('p', `k${Math.random()}`, 'changes');
  p.writes.push({
    ref: 'r', side: 'right', op: kind === 'delete' ? 'delete' : 'update', remoteId: asRemoteId('1'), patch: {}, before: {},
    versionSeen: null, matchKey: null, idempotencyKey: 'i',
    changes: [{ fieldId: 'f', path: 'f', side: 'right', old: 'Ada', new: kind === 'blank' ? '' : 'Augusta', reason: 'propagated', strategy: null }],
  });
  return p;
}

describe('mass-change guard', () => {
  it('counts deletes and blanked fields as destructive, plain updates not', () => {
    expect(isDestructive(plan('delete'))).toBe(true);
    expect(isDestructive(plan('blank'))).toBe(true);
    expect(isDestructive(plan('update'))).toBe(false);
  });

  it('lets a few deletes through and trips when deletes over the window pass the share', () => {
    const guard = createMassChangeGuard({ clock: createManualClock() });
    expect(guard.check('p', [plan('delete'), plan('delete')], 20, 0.1).trip).toBe(false);
    expect(guard.check('p', [plan('update'), plan('update'), plan('update')], 20, 0.1).trip).toBe(false);
    const verdict = guard.check('p', [plan('delete'), plan('delete'), plan('delete')], 20, 0.1);
    expect(verdict).toMatchObject({ trip: true, destructive: 5, links: 20 });
  });

  it('forgets destructive changes older than the window, and stays quiet for a window after approval', () => {
    const clock = createManualClock();
    const guard = createMassChangeGuard({ clock, windowMs: 60_000 });
    expect(guard.check('p', [plan('delete'), plan('delete'), plan('delete'), plan('delete')], 10, 0.1).trip).toBe(false);
    clock.advance(61_000);
    expect(guard.check('p', [plan('delete')], 10, 0.1).trip).toBe(false);
    const mass = Array.from({ length: 8 }, () => plan('delete'));
    expect(guard.check('p', mass, 10, 0.1).trip).toBe(true);
    guard.approved('p');
    expect(guard.check('p', mass, 10, 0.1).trip).toBe(false);
    clock.advance(61_000);
    expect(guard.check('p', mass, 10, 0.1).trip).toBe(true);
  });

  it('never trips below the floor, whatever the share', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 50 }), (deletes, links) => {
      const guard = createMassChangeGuard({ clock: createManualClock(), floor: 5 });
      return !guard.check('p', Array.from({ length: deletes }, () => plan('delete')), links, 0.1).trip;
    }));
  });
});

function mapping(pair: string, listId: string): CompiledMapping {
  return {
    pair, left: { system: asSystemId('hubspot'), object: 'contacts', params: {} },
    right: { system: asSystemId('mailchimp'), object: 'members', params: { list_id: listId } },
  } as unknown as CompiledMapping;
}

describe('routing inbox events to pairs', () => {
  const mappings = [mapping('a', 'list1'), mapping('b', 'list2')];

  it('sends a hint carrying list_id only to the pair of that audience', () => {
    const routed = routeEvent(mappings, { system: 'mailchimp', object: 'members', remoteId: asRemoteId('x'), fields: { list_id: 'list2' } });
    expect(routed).toEqual([{ pair: 'b', side: 'right', id: 'x' }]);
  });

  it('sends an event without the param (a HubSpot hint) to every pair mapping its system and object', () => {
    expect(routeEvent(mappings, { system: 'hubspot', object: 'contacts', remoteId: asRemoteId('7') }).map((r) => r.pair)).toEqual(['a', 'b']);
    expect(routeEvent(mappings, { system: 'hubspot', object: 'companies', remoteId: asRemoteId('7') })).toEqual([]);
  });
});
