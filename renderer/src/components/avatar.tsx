import { initials } from '../labels';

/** Initials in a colored circle; the color is stable per name. */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'sm' | 'md' | 'lg' }) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return (
    <span className={`avatar avatar-${size} avatar-hue-${hash % 8}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
