import type { RouteObject } from 'react-router';
import { RequireSession } from '../../app/RequireSession';
import { ConversationPage } from './ConversationPage';
import { ConversationsPage } from './ConversationsPage';

/** The messaging pages and their paths (mounted under the signed-in layout by app/App.tsx); every role has them. */
export const messagingRoutes: RouteObject[] = [
  {
    path: '/messages',
    element: (
      <RequireSession>
        <ConversationsPage />
      </RequireSession>
    ),
  },
  {
    path: '/messages/:conversationId',
    element: (
      <RequireSession>
        <ConversationPage />
      </RequireSession>
    ),
  },
];
