// The server's clock as the console sees it: the sandbox clock can run ahead of the wall
// clock, so countdowns count from the `now` the server last reported.
let offset = 0;

/** Learns the server's clock from a list response's `now`. */
export function learn(serverNow) {
  if (serverNow) offset = Date.parse(serverNow) - Date.now();
}

/** The server's current time in milliseconds. */
export function serverNow() {
  return Date.now() + offset;
}

/** Seconds left until an ISO time, by the server's clock; never negative. */
export function secondsUntil(iso) {
  return iso ? Math.max(0, (Date.parse(iso) - serverNow()) / 1000) : 0;
}
