import { describe, expect, it } from 'vitest';
import { createSortableId } from '../../../src/store/sortable-id.js';

describe('sortable ids', () => {
  it('are UUIDv7 and sort in the order they were made, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => createSortableId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
