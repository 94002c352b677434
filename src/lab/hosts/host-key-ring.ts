import { deriveSeed, ed25519FromSeed, type Ed25519KeyPair } from '../keys/openssh-ed25519';

/**
 * A simulated host's SSH host keys: derived, not generated, so the same seed gives the same key
 * on every run of the lab (tests pin fingerprints). Rotating moves to the next generation, as a
 * reinstalled OS would; the "changed host key" fault answers with a key from a far generation
 * without forgetting the real one, so clearing the fault brings the pinned key back.
 */
export class HostKeyRing {
  private generation = 0;
  private readonly keys = new Map<number, Ed25519KeyPair>();

  constructor(private readonly seed: number, private readonly hostId: string, private readonly hostname: string) {}

  current(changedFault: boolean): Ed25519KeyPair {
    const generation = this.generation + (changedFault ? 1_000_000 : 0);
    let key = this.keys.get(generation);
    if (!key) {
      key = ed25519FromSeed(deriveSeed('rackdeck-lab', 'host-key', this.seed, this.hostId, generation), `root@${this.hostname}`);
      this.keys.set(generation, key);
    }
    return key;
  }

  rotate(): void {
    this.generation++;
  }
}
