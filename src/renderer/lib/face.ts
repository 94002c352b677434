/** True in a browser talking to `rackdeck serve`; false in the desktop app, whose preload sets window.rackdeck. */
export function isWebFace(): boolean {
  return typeof window !== 'undefined' && !window.rackdeck;
}
