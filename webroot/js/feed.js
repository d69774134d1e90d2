// The live feed: one WebSocket to /ws, JSON frames in, and reconnection with exponential backoff so the
// page recovers by itself when the lab restarts (no reload needed).

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/**
 * @param onFrame  called with every parsed frame ({type: "snapshot"|"unavailable", ts, stats|error})
 * @param onStatus called with {state: "connecting"|"live"|"reconnecting", inMs?}
 */
export function connectFeed({ onFrame, onStatus }) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  let delay = MIN_DELAY_MS;

  function open() {
    onStatus({ state: 'connecting' });
    const socket = new WebSocket(url);
    socket.onopen = () => onStatus({ state: 'live' });
    socket.onmessage = event => {
      delay = MIN_DELAY_MS; // data flows again: the next outage starts with a short wait
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return; // a frame we cannot read is skipped; the next one comes a quarter second later
      }
      onFrame(frame);
    };
    // 'error' is always followed by 'close', so only 'close' schedules the next attempt.
    socket.onclose = () => {
      // Jitter spreads the reconnects of many open pages after a restart.
      const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
      delay = Math.min(MAX_DELAY_MS, delay * 2);
      onStatus({ state: 'reconnecting', inMs: wait });
      setTimeout(open, wait);
    };
  }

  open();
}
