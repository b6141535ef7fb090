// Live session events (the BFF's events endpoint, /bff/events by default; docs/spa-and-api.md): every open tab hears at once that its
// session ended, and why, or is about to expire. EventSource cannot send the X-CSRF header the BFF
// requires, so the stream is read with fetch() and a ReadableStream.
import { paths } from './paths.js';

const reasons = {
  logout: 'You signed out (in this or another tab).',
  backchannel_logout: 'Your sign-in was ended at the identity provider.',
  ended_by_user: 'This session was signed out from another browser.',
  ended_by_administrator: 'An administrator ended your session.',
  signed_in_again: 'You signed in again; this session was replaced.',
  idle_timeout: 'Your session expired after a period of inactivity.',
  absolute_timeout: 'Your session reached its maximum length.',
  refresh_refused: 'Your sign-in is no longer valid at the identity provider.',
  account_deletion: 'You went to delete your account.',
  ended: 'Your session has ended.',
};

export function describeEnd(reason) {
  return reasons[reason] || reasons.ended;
}

// Splits the text stream into frames ("event:" and "data:" lines, a blank line ends a frame).
function* frames(buffer) {
  let end;
  while ((end = buffer.text.indexOf('\n\n')) >= 0) {
    const block = buffer.text.slice(0, end);
    buffer.text = buffer.text.slice(end + 2);
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) {
        event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).trimStart());
      } else if (line.startsWith('retry:')) {
        buffer.retry = Number(line.slice(6)) || buffer.retry;
      }
    }
    if (data.length) {
      yield { event, data: JSON.parse(data.join('\n')) };
    }
  }
}

// Watches the session until it ends: handlers.session / expiring get the expiry, handlers.ended the
// reason (once). A dropped stream is reopened after the server's retry delay; a 401 on reopening
// means the session ended meanwhile.
export function watchSession(handlers) {
  const controller = new AbortController();
  let stopped = false;
  const stop = () => { stopped = true; controller.abort(); };

  async function connect() {
    const buffer = { text: '', retry: 5000 };
    while (!stopped) {
      try {
        const response = await fetch(paths.events, {
          headers: { 'X-CSRF': '1', Accept: 'text/event-stream' },
          credentials: 'same-origin',
          cache: 'no-store',
          redirect: 'error',
          signal: controller.signal,
        });
        if (response.status === 401) {
          stop();
          handlers.ended('ended');
          return;
        }
        if (response.ok && response.body) {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) {
              break;
            }
            buffer.text += value.replace(/\r\n/g, '\n');
            for (const frame of frames(buffer)) {
              if (frame.event === 'ended') {
                stop();
                handlers.ended(frame.data.reason);
                return;
              }
              const handler = handlers[frame.event];
              if (handler) {
                handler(frame.data);
              }
            }
          }
        }
      } catch (error) {
        if (stopped) {
          return;
        }
      }
      // The stream closed without an end (the server restarted, the network dropped): reopen.
      await new Promise((resolve) => { setTimeout(resolve, buffer.retry); });
    }
  }

  connect();
  return stop;
}
