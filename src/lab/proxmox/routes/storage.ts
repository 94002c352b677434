/** /storage (cluster configuration) and /nodes/{node}/storage (usage, status, content). */
import type { Router } from '../router';
import {
  nodeStorageEntry,
  requireStorage,
  storageConfigEntry,
  storageContent,
  storageStatus,
} from '../storage-views';

export function registerStorage(router: Router): void {
  router.add('GET /storage', ({ state, params }) =>
    state.storages.filter((s) => params.type === undefined || s.type === params.type).map((s) => storageConfigEntry(state, s)),
  );

  router.add('GET /storage/{storage}', ({ state, params }) => storageConfigEntry(state, requireStorage(state, params.storage ?? '')));

  router.add('GET /nodes/{node}/storage', ({ state, params, principal }) => {
    const wanted = params.content?.split(/[,;\s]+/).filter(Boolean);
    // Like the real list: only storages the caller may see.
    if (!principal.privileges.has('Datastore.Audit') && !principal.privileges.has('Datastore.AllocateSpace')) return [];
    return state.storages
      .filter(
        (s) =>
          (params.storage === undefined || s.id === params.storage) &&
          (wanted === undefined || wanted.some((c) => s.content.includes(c))),
      )
      .map((s) => nodeStorageEntry(state, s, params.node ?? ''));
  });

  router.add('GET /nodes/{node}/storage/{storage}', ({ state, params }) => {
    requireStorage(state, params.storage ?? '');
    return ['content', 'download-url', 'file-restore', 'import-metadata', 'prunebackups', 'rrd', 'rrddata', 'status', 'upload'].map(
      (subdir) => ({ subdir }),
    );
  });

  router.add('GET /nodes/{node}/storage/{storage}/status', ({ state, params }) =>
    storageStatus(state, requireStorage(state, params.storage ?? ''), params.node ?? ''),
  );

  router.add('GET /nodes/{node}/storage/{storage}/content', ({ state, params }) =>
    storageContent(state, requireStorage(state, params.storage ?? ''), params.node ?? '', {
      content: params.content,
      vmid: params.vmid === undefined ? undefined : Number(params.vmid),
    }),
  );
}
