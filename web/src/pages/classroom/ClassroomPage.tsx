import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { liveFeed } from '../../api/live';
import { useMutation, useQuery } from '../../api/use-query';
import { homeOf, useSession } from '../../app/use-session';
import { common } from '../../i18n/common';
import { useFormat, useT } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { LiveSessionFigures } from '../analytics/LiveSessionFigures';
import { AttendancePanel } from './AttendancePanel';
import { ChatPanel } from './ChatPanel';
import { ConnectionBanner } from './ConnectionBanner';
import { messages } from './messages';
import { ClassroomAttendance, ClassroomEnd, ClassroomEvents, ClassroomSession, ClassroomStart } from './operations';
import { PeoplePanel } from './PeoplePanel';
import { PollsPanel } from './PollsPanel';
import { enterRoom, leaveOnUnload, leaveRoom } from './room-presence';
import { CHANGES_ROOM, emptyRoom, roomReducer } from './room-state';
import './classroom.css';

/** The stream position before every event: a feed starting here replays the session from its start. */
const FROM_START = '0-0';
/** Events that change the room come in bursts (a class joining): read the room again once per burst. */
const REREAD_MS = 300;

type Joined = 'no' | 'joining' | 'yes' | 'failed';

/** `/classroom/:sessionId`: the live classroom, for the teacher, admins and the course's students. */
export function ClassroomPage() {
  const { sessionId = '' } = useParams();
  const t = useT(messages);
  const tc = useT(common);
  const f = useFormat();
  const session = useSession()!;
  const me = session.user.id;
  const snapshot = useQuery(ClassroomSession, { id: sessionId });
  const live = snapshot.data?.liveSession;
  const manager = !!live && (session.user.roles.includes('SCHOOL_ADMIN') || live.course.teacher.id === me);
  const attendance = useQuery(ClassroomAttendance, { id: sessionId }, { skip: !manager });
  const [room, dispatch] = useReducer(roomReducer, undefined, emptyRoom);
  const [feedError, setFeedError] = useState<ApiError>();
  const [feedRound, setFeedRound] = useState(0);
  const [joined, setJoined] = useState<Joined>('no');
  const [joinError, setJoinError] = useState<ApiError>();
  const [joinRound, setJoinRound] = useState(0);

  useEffect(() => {
    if (live) dispatch({ type: 'snapshot', session: live });
  }, [live]);

  // Read the room (and the teacher's attendance) again after events that change it, once per burst.
  const reread = useRef<() => void>(() => undefined);
  useEffect(() => {
    reread.current = () => {
      void snapshot.refetch();
      if (manager) void attendance.refetch();
    };
  });
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const rereadSoon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => reread.current(), REREAD_MS);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  // The events, from the session's start: the chat so far, then live. liveFeed resumes after the
  // last one delivered when the connection comes back; the reducer applies each id once.
  useEffect(() => {
    if (!sessionId) return;
    return liveFeed(ClassroomEvents, { sessionId }, (d) => d.liveSessionEvents, {
      after: FROM_START,
      onEvent: (event) => {
        dispatch({ type: 'event', event });
        if (CHANGES_ROOM.has(event.kind)) rereadSoon();
      },
      onError: setFeedError,
    });
  }, [sessionId, feedRound, rereadSoon]);

  // In the room while the session is live and this page is open; out when leaving or when the page goes away.
  const status = room.status ?? live?.status;
  useEffect(() => {
    if (status !== 'LIVE' || !sessionId) return;
    let current = true;
    const enter = () => {
      setJoined('joining');
      setJoinError(undefined);
      enterRoom(sessionId).then(
        () => {
          if (!current) return;
          setJoined('yes');
          reread.current();
        },
        (err: ApiError) => {
          if (!current) return;
          setJoined('failed');
          setJoinError(err);
        },
      );
    };
    enter();
    const onHide = () => leaveOnUnload(sessionId);
    // A page restored from the back-forward cache left on pagehide: it enters again.
    const onShow = (e: PageTransitionEvent) => e.persisted && enter();
    addEventListener('pagehide', onHide);
    addEventListener('pageshow', onShow);
    return () => {
      current = false;
      removeEventListener('pagehide', onHide);
      removeEventListener('pageshow', onShow);
      setJoined('no');
      void leaveRoom(sessionId).catch(() => undefined);
    };
  }, [status, sessionId, joinRound]);

  const start = useMutation(ClassroomStart);
  const end = useMutation(ClassroomEnd);
  const [confirmEnd, setConfirmEnd] = useState(false);

  if (snapshot.loading && !live) return <Loading />;
  if (snapshot.error && !live) return <ErrorMessage error={snapshot.error} onRetry={() => void snapshot.refetch()} />;
  if (!live) {
    return (
      <section className="card">
        <h1>{t('notFound')}</h1>
        <Link to={homeOf(session.user.roles)}>{t('leave')}</Link>
      </section>
    );
  }

  const canTalk = status === 'LIVE' && joined === 'yes';
  return (
    <div className="classroom">
      <header className="classroom-head">
        <div>
          <h1 dir="auto">{live.title}</h1>
          <p className="muted row">
            <span dir="auto">{live.course.title}</span>
            <span className="badge" data-testid="session-status">
              {t(`status${status ?? live.status}`)}
            </span>
            {status === 'SCHEDULED' && <span>{t('startsAt', { time: f.dateTime(live.startsAt) })}</span>}
          </p>
        </div>
        <div className="row">
          {manager && status === 'SCHEDULED' && (
            <button
              type="button"
              className="primary"
              disabled={start.pending}
              onClick={() => void start.mutate({ id: sessionId }).then(() => snapshot.refetch())}
            >
              {t('startSession')}
            </button>
          )}
          {manager &&
            status === 'LIVE' &&
            (confirmEnd ? (
              <span className="row" role="group" aria-label={t('endConfirm')}>
                <span>{t('endConfirm')}</span>
                <button
                  type="button"
                  className="danger"
                  disabled={end.pending}
                  onClick={() => void end.mutate({ id: sessionId }).then(() => (setConfirmEnd(false), snapshot.refetch()))}
                >
                  {t('endSession')}
                </button>
                <button type="button" onClick={() => setConfirmEnd(false)}>
                  {tc('cancel')}
                </button>
              </span>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirmEnd(true)}>
                {t('endSession')}
              </button>
            ))}
          <Link to={homeOf(session.user.roles)}>{t('leave')}</Link>
        </div>
      </header>
      <ConnectionBanner />
      <ErrorMessage error={start.error ?? end.error} />
      <ErrorMessage error={feedError} onRetry={() => (setFeedError(undefined), setFeedRound((r) => r + 1))} />
      {status === 'SCHEDULED' && <p className="alert alert-warn">{t('waiting')}</p>}
      {status === 'ENDED' && <p className="alert alert-ok">{t('ended')}</p>}
      {status === 'CANCELED' && <p className="alert alert-error">{t('canceled')}</p>}
      {status === 'LIVE' && joined === 'joining' && <p className="muted">{t('joining')}</p>}
      {joined === 'failed' && (
        <div className="alert alert-error" role="alert">
          <span>
            {t('joinFailed')} {joinError?.message}
          </span>
          <button type="button" className="link" onClick={() => setJoinRound((r) => r + 1)}>
            {tc('retry')}
          </button>
        </div>
      )}
      <div className="classroom-grid">
        <ChatPanel sessionId={sessionId} log={room.log} me={me} canTalk={canTalk} />
        <div className="classroom-side">
          <PeoplePanel
            sessionId={sessionId}
            me={me}
            participants={room.participants}
            hands={room.hands}
            manager={manager}
            canTalk={canTalk}
          />
          <PollsPanel
            sessionId={sessionId}
            polls={room.polls}
            manager={manager}
            canTalk={canTalk}
            onVoted={(pollId, option) => dispatch({ type: 'voted', pollId, option })}
          />
          {manager && status !== 'SCHEDULED' && (
            <div className="card">
              <LiveSessionFigures sessionId={sessionId} />
            </div>
          )}
          {manager && (
            <AttendancePanel
              attendance={attendance.data?.liveSession?.attendance ?? []}
              error={attendance.error}
              onRetry={() => void attendance.refetch()}
            />
          )}
        </div>
      </div>
    </div>
  );
}
