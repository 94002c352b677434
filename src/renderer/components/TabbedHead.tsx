import { Icon } from './Icon';

/**
 * The head of a tabbed dialog (Alerts, Automation, Integrations): its title, its tabs and the
 * close button. Each tab's test id is `<testPrefix>-tab-<id>`.
 */
export function TabbedHead<T extends string>(props: { titleId: string; title: string; tabs: ReadonlyArray<readonly [T, string]>; tab: NoInfer<T>; onTab(tab: NoInfer<T>): void; testPrefix: string; onClose(): void }) {
  return (
    <div className="modal-head">
      <h2 id={props.titleId}>{props.title}</h2>
      <div className="tabs" role="tablist">
        {props.tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" className="tab" aria-selected={props.tab === id} data-testid={`${props.testPrefix}-tab-${id}`} onClick={() => props.onTab(id)}>
            {label}
          </button>
        ))}
      </div>
      <button type="button" className="icon-btn" aria-label="Close" onClick={props.onClose}>
        <Icon name="close" />
      </button>
    </div>
  );
}
