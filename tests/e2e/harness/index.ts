export { Cleanup } from './cleanup';
export { makeHome, savedServers, FAST_SETTINGS, type SeedServer } from './home';
export { startServe, assertBuilt, type Served } from './serve';
export { launchBrowser, newAppPage, CHROMIUM_ARGS, type AppPage } from './browser';
export { screenshot, screenshotThemes } from './screenshots';
export { listen, closedPort, type Listener } from './tcp';
export { routeFakeEngine, fakeServer, type FakeEngine } from './fake-engine';
export { traceTasks, type TaskStats } from './trace';
