import { useEffect } from 'react';
import { dismissNotice, useAppStore, type Notice } from '../state/store';

function NoticeItem({ notice }: { notice: Notice }) {
  useEffect(() => {
    const timer = setTimeout(() => dismissNotice(notice.id), notice.tone === 'error' ? 9000 : 5000);
    return () => clearTimeout(timer);
  }, [notice]);
  return (
    <div className={`toast toast-${notice.tone}`}>
      <p>{notice.text}</p>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissNotice(notice.id)}>
        ×
      </button>
    </div>
  );
}

/** Transient messages, announced politely. */
export function Notices() {
  const notices = useAppStore((s) => s.notices);
  return (
    <div className="toasts" aria-live="polite" aria-atomic="false">
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} />
      ))}
    </div>
  );
}
