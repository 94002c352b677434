import type { PrometheusSettings, PrometheusStatus } from '../../../shared/contract/integrations';
import type { AllowMatcher, RenderExposition, ScrapeAnswer, ScrapeRequest } from '../ports';
import { collect, type ExportSnapshot } from './families';
import { decideScrape, protectionOf } from './gate';

export interface ExporterDeps {
  settings(): PrometheusSettings;
  token(): string | undefined;
  snapshot(): ExportSnapshot;
  render: RenderExposition;
  allowMatcher: AllowMatcher;
  now(): number;
}

/**
 * /metrics: lets a scrape in (scrape token or allow-list, never the web token), collects what
 * the engine knows and renders it. Shared by the web face's route and the loopback listener.
 */
export class PrometheusExporter {
  private scrapes = 0;
  private refused = 0;
  private lastScrapeAt: number | undefined;
  private matcher: { key: string; match: (address: string | undefined) => boolean } | undefined;

  constructor(private readonly deps: ExporterDeps) {}

  readonly handle = async (req: ScrapeRequest): Promise<ScrapeAnswer> => {
    const settings = this.deps.settings();
    const decision = decideScrape(
      { enabled: settings.enabled, token: this.deps.token(), allowListSize: settings.allow.length },
      { authorization: req.authorization, addressAllowed: settings.allow.length > 0 && this.allowed(settings.allow, req.remoteAddress) },
    );
    if (!decision.ok) {
      this.refused++;
      return { status: decision.status, contentType: 'text/plain; charset=utf-8', body: `${decision.message}\n` };
    }
    const { contentType, body } = await this.render();
    this.scrapes++;
    this.lastScrapeAt = this.deps.now();
    return { status: 200, contentType, body };
  };

  /** The exposition as a scrape would get it (the "test" button, and `promtool check metrics`). */
  render(): Promise<{ contentType: string; body: string }> {
    return this.deps.render(collect(this.deps.snapshot()));
  }

  view(listener: { url?: string; error?: string }): PrometheusStatus {
    const s = this.deps.settings();
    return {
      enabled: s.enabled,
      protection: protectionOf(this.deps.token() !== undefined, s.allow.length),
      ...(listener.url ? { listener: listener.url } : {}),
      ...(listener.error ? { listenerError: listener.error } : {}),
      scrapes: this.scrapes,
      refused: this.refused,
      ...(this.lastScrapeAt !== undefined ? { lastScrapeAt: this.lastScrapeAt } : {}),
    };
  }

  private allowed(allow: readonly string[], address: string | undefined): boolean {
    const key = allow.join(',');
    if (this.matcher?.key !== key) this.matcher = { key, match: this.deps.allowMatcher(allow) };
    return this.matcher.match(address);
  }
}
