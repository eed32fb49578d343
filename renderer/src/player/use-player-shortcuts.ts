import { useEffect, useRef } from 'react';
import type { ClipPlayer } from '../media/clip-player';

/** Turns on {@link playerKeyHandler}'s shortcuts for the whole page while the component is shown. */
export function usePlayerShortcuts(player: ClipPlayer | null, onComment?: () => void) {
  const comment = useRef(onComment);
  useEffect(() => {
    comment.current = onComment;
  });
  const commentable = onComment !== undefined;
  useEffect(() => {
    const onKey = playerKeyHandler(player, commentable ? () => comment.current?.() : undefined);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [player, commentable]);
}

/**
 * Player keyboard shortcuts for the whole page: Space, ←/→, [ ], and M (`onComment`). Keys
 * typed into fields, and Space on buttons and links, keep their usual meaning.
 */
export function playerKeyHandler(player: ClipPlayer | null, onComment?: () => void) {
  return (e: KeyboardEvent) => {
    if (!player || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target instanceof HTMLElement ? e.target : null;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const onControl = target ? /^(BUTTON|A)$/.test(target.tagName) || target.getAttribute('role') === 'slider' : false;
    switch (e.key) {
      case ' ':
        if (onControl) return;
        player.toggle();
        break;
      case 'ArrowLeft':
        player.skip(-5000);
        break;
      case 'ArrowRight':
        player.skip(5000);
        break;
      case '[':
        player.stepRate(-1);
        break;
      case ']':
        player.stepRate(1);
        break;
      case 'm':
      case 'M':
        if (!onComment) return;
        onComment();
        break;
      default:
        return;
    }
    e.preventDefault();
  };
}
