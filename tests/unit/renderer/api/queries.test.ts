import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { clientError } from '../../../../renderer/src/api/errors';
import { boardCalls, createQueryClient, unwrap } from '../../../../renderer/src/api/queries';
import { queryKeys } from '../../../../renderer/src/api/query-keys';

describe('unwrap', () => {
  it('gives the value of a good Result and throws the very AppError of a failed one', async () => {
    await expect(unwrap(Promise.resolve({ ok: true as const, value: 42 }))).resolves.toBe(42);
    const error = clientError('UNAVAILABLE', 'Offline.');
    await expect(unwrap(Promise.resolve({ ok: false as const, error }))).rejects.toBe(error);
  });
});

describe('query keys', () => {
  function seeded(): QueryClient {
    const queries = createQueryClient();
    queries.setQueryData(queryKeys.clips.list({}), 'all clips');
    queries.setQueryData(queryKeys.clips.list({ tag: 'pricing' }), 'pricing clips');
    queries.setQueryData(queryKeys.clips.detail('a'), 'clip a');
    queries.setQueryData(queryKeys.clips.detail('b'), 'clip b');
    queries.setQueryData(queryKeys.recordings.list, 'recordings');
    queries.setQueryData(queryKeys.members, 'members');
    return queries;
  }
  const stale = (queries: QueryClient) =>
    queries
      .getQueryCache()
      .getAll()
      .filter((q) => q.state.isInvalidated)
      .map((q) => q.state.data);

  it('nest so a push can refresh one family and leave the rest', async () => {
    const queries = seeded();
    await queries.invalidateQueries({ queryKey: queryKeys.clips.lists });
    expect(stale(queries).sort()).toEqual(['all clips', 'pricing clips']);

    const again = seeded();
    await again.invalidateQueries({ queryKey: queryKeys.clips.detail('a') });
    expect(stale(again)).toEqual(['clip a']);

    const all = seeded();
    await all.invalidateQueries({ queryKey: queryKeys.clips.all });
    expect(stale(all).sort()).toEqual(['all clips', 'clip a', 'clip b', 'pricing clips']);
  });

  it('tell library filters apart by value, not identity', () => {
    const queries = seeded();
    expect(queries.getQueryData(queryKeys.clips.list({ tag: 'pricing' }))).toBe('pricing clips');
  });

  it('read the board as empty until the socket fills it', () => {
    const queries = createQueryClient();
    expect(boardCalls(queries)).toEqual([]);
    queries.setQueryData(queryKeys.board, [{ id: 'c1' }]);
    expect(boardCalls(queries)).toEqual([{ id: 'c1' }]);
  });
});
