// The user's live events (GET /api/events, Open WebUI's envelope {chat_id, message_id, data: {type, data}}): one
// EventSource for the app. `ready` settles once the subscription is live, so a generation started after it cannot
// finish unseen; after a reconnection `onReconnect` runs (events sent while away are gone, so the caller reloads).
const listeners = new Set();
let source = null;
let ready = null;

export function connectEvents(onReconnect) {
  let connected = false;
  ready = new Promise(resolve => {
    source = new EventSource('/api/events');
    source.addEventListener('open', () => {
      if (connected) {
        onReconnect();
      }
      connected = true;
      resolve();
    });
  });
  source.addEventListener('events', event => {
    let envelope;
    try {
      envelope = JSON.parse(event.data);
    } catch {
      return;
    }
    listeners.forEach(listener => listener(envelope));
  });
}

/** Settles when the stream is live, or after a few seconds (a proxy that holds the stream back must not block sending). */
export const eventsReady = () => Promise.race([ready, new Promise(resolve => setTimeout(resolve, 5000))]);

export function onEvent(listener) {
  listeners.add(listener);
}
