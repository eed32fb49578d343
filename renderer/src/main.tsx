import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { selectPlatform } from './platform/select-platform';
import { Session } from './services/session';
import { SessionProvider } from './services/session-context';
import { linkTray } from './services/tray-link';
import './styles/base.css';
import './styles/layout.css';
import './styles/calls.css';
import './styles/team.css';
import './styles/library.css';
import './styles/clips.css';
import './styles/talk-tracks.css';
import './styles/questions.css';
import './styles/reviews.css';
import './styles/metrics.css';
import './styles/notifications.css';
import './styles/onboarding.css';
import './styles/responsive.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

const session = new Session(selectPlatform());
// Before booting, so the tray hears every state from "signed out" on.
linkTray(session);
void session.boot();

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={session.queries}>
      <SessionProvider session={session}>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
