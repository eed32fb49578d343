import { useQuery } from '@tanstack/react-query';
import type { BoardCall } from '../../../contract';
import { queryKeys } from './query-keys';

/**
 * The live calls on the board. The socket fills this query (`board:get` on connect, then every
 * `board:update` push; see `Session`), so it is pending until the first answer and never errors.
 */
export function useBoard<T = BoardCall[]>(select?: (calls: BoardCall[]) => T) {
  return useQuery<BoardCall[], never, T>({ queryKey: queryKeys.board, ...(select ? { select } : {}) });
}
