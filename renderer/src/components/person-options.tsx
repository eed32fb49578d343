import type { Member } from '../../../contract';

/** A select's options for the team's people, by name, the viewer marked "(you)". */
export function PersonOptions({ members, meId }: { members: readonly Member[] | undefined; meId: string | undefined }) {
  return (
    <>
      {(members ?? [])
        .slice()
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((m) => (
          <option key={m.id} value={m.id}>
            {m.id === meId ? `${m.name} (you)` : m.name}
          </option>
        ))}
    </>
  );
}
