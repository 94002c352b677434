/**
 * At most one notification per rule and subject within the throttle window: a flapping server
 * fires, clears and fires again, but the admin hears of it once an hour, not every minute.
 */
export function throttleAllows(lastNotifiedAt: number | undefined, now: number, throttleMs: number): boolean {
  if (lastNotifiedAt === undefined || throttleMs <= 0) return true;
  // A clock that went backwards (NTP step) must not mute a rule for hours.
  if (now < lastNotifiedAt) return true;
  return now - lastNotifiedAt >= throttleMs;
}
