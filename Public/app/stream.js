// The live event stream: a WebSocket opened with a one-minute ticket, reconnected with
// backoff, resumed from the last event seen so nothing is missed.
import { api } from "./api.js";

export class Stream {
  constructor({ onEvent, onConnected, onDisconnected }) {
    this.onEvent = onEvent;
    this.onConnected = onConnected ?? (() => {});
    this.onDisconnected = onDisconnected ?? (() => {});
    this.since = null;
    this.delay = 1000;
    this.stopped = false;
    this.socket = null;
  }

  async start() {
    if (this.stopped) return;
    let ticket;
    try {
      const issued = await api("POST", "/stream/tickets");
      ticket = issued.ticket;
      // Nothing seen yet: resume from the log's end as of now, so a reconnect misses nothing.
      if (this.since === null && Number.isInteger(issued.seq)) this.since = issued.seq;
    } catch (error) {
      if (error.status === 401) return;
      return this.retry();
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = new URLSearchParams({ ticket });
    if (this.since !== null) query.set("since", String(this.since));
    if (this.stopped) return;
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/stream?${query}`);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.delay = 1000;
      this.onConnected();
    });
    socket.addEventListener("message", (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch { return; }
      if (this.since !== null && event.seq <= this.since) return;
      this.since = event.seq;
      this.onEvent(event);
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onDisconnected();
      if (!this.stopped) this.retry();
    });
  }

  retry() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), this.delay);
    this.delay = Math.min(this.delay * 2, 15000);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }
}
