import type { ResolverOptions } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { SetMenteesBody, SetupBody } from '../../../../contract';
import { ClipForm, clipFormValues } from '../../../../renderer/src/clips/clip-form';
import { labelledResolver } from '../../../../renderer/src/forms/use-contract-form';

// What react-hook-form passes a resolver on submit.
const options = { fields: {}, shouldUseNativeValidation: false, criteriaMode: 'firstError', names: undefined } as unknown as ResolverOptions<never>;

describe('labelledResolver (contract schema through @hookform/resolvers/zod)', () => {
  const setup = labelledResolver(SetupBody, { teamName: 'Team name', name: 'Your name', email: 'Work email', password: 'Password' });

  it('words each field’s first problem with its label, as the setup form shows them', async () => {
    const result = await setup({ teamName: 'Acme', name: 'Ann', email: 'not-an-email', password: 'short' }, undefined, options as never);
    expect(result.values).toEqual({});
    expect(result.errors).toEqual({
      email: { type: 'validate', message: 'Work email must be an email address.' },
      password: { type: 'validate', message: 'Password must be at least 10 characters.' },
    });
  });

  it('gives the parsed output (trimmed, transformed) when valid', async () => {
    const result = await setup({ teamName: '  Acme  ', name: 'Ann', email: 'ann@example.com', password: 'long enough pw' }, undefined, options as never);
    expect(result.errors).toEqual({});
    expect(result.values).toMatchObject({ teamName: 'Acme', email: 'ann@example.com' });
  });

  it('validates list fields: a bad tag names the Tags field; duplicates are folded', async () => {
    const clip = labelledResolver(ClipForm, { title: 'Clip title', note: 'Clip note', tags: 'Tags' });
    const base = clipFormValues({ title: 'Pricing push', note: '', tags: [], visibility: 'team' });
    const bad = await clip({ ...base, tags: ['pricing', 'no spaces please!'] }, undefined, options as never);
    expect(Object.keys(bad.errors)).toEqual(['tags']);
    expect(bad.errors.tags?.message).toMatch(/^Tags .+\.$/);
    const tooMany = await clip({ ...base, tags: Array.from({ length: 13 }, (_, i) => `t${i}`) }, undefined, options as never);
    expect(tooMany.errors.tags?.message).toBe('Tags at most 12 tags.');
    const good = await clip({ ...base, tags: ['Pricing', 'pricing', 'closing'] }, undefined, options as never);
    expect(good.errors).toEqual({});
    expect(good.values).toMatchObject({ tags: ['pricing', 'closing'] });
  });

  it('checks linked ids in a list (mentees)', async () => {
    const mentees = labelledResolver(SetMenteesBody, { menteeIds: 'Mentees' });
    expect((await mentees({ menteeIds: [] }, undefined, options as never)).errors).toEqual({});
    const bad = await mentees({ menteeIds: ['', 'x'.repeat(500)] }, undefined, options as never);
    expect(bad.errors.menteeIds?.message).toMatch(/^Mentees .+\.$/);
  });
});
