import { describe, expect, it } from 'vitest';
import { draftOf, fieldsFor, specOf } from '../../src/renderer/components/checks/check-fields';
import { CHECK_KINDS, checkSpecSchema } from '../../src/shared/contract/checks';

/** The check form's fields: every kind is offered, and the repos kind's one option goes through to the contract. */
describe('the check form fields', () => {
  it('every kind has its fields, and an empty draft of each turns into a valid spec or a worded refusal', () => {
    for (const kind of CHECK_KINDS) {
      const r = specOf(kind, draftOf(kind));
      if (r.ok) expect(checkSpecSchema.safeParse(r.spec).success, kind).toBe(true);
      else expect(r.error, kind).toMatch(/: /);
    }
  });

  it('repos: the no-subscription warning is a checkbox, off by default, on when ticked', () => {
    expect(fieldsFor('repos').map((f) => f.key)).toEqual(['name', 'intervalSec', 'failAfter', 'timeoutMs', 'noSubscriptionWarns']);
    expect(fieldsFor('repos').at(-1)).toMatchObject({ type: 'bool' });
    const draft = draftOf('repos');
    expect(draft.noSubscriptionWarns).toBe(false);
    expect(specOf('repos', draft)).toEqual({ ok: true, spec: { kind: 'repos', noSubscriptionWarns: false } });
    expect(specOf('repos', { ...draft, noSubscriptionWarns: true, intervalSec: '3600' })).toEqual({ ok: true, spec: { kind: 'repos', noSubscriptionWarns: true, intervalSec: 3600 } });
    // A stored check's value comes back into the form.
    expect(draftOf('repos', { id: 'repos', ...checkSpecSchema.parse({ kind: 'repos', noSubscriptionWarns: true }) }).noSubscriptionWarns).toBe(true);
  });
});
