import { Controller } from 'react-hook-form';
import { z } from 'zod';
import { ClipNote, ClipTags, ClipTitle, ClipVisibility, type ClipSummary } from '../../../contract';
import { TextAreaField, TextField } from '../components/field';
import { TagPicker } from '../components/tag-picker';
import { VisibilityField } from '../components/visibility-field';
import { useContractForm } from '../forms/use-contract-form';

/** A clip's editable details, validated with the contract's field schemas. */
export const ClipForm = z.object({ title: ClipTitle, note: ClipNote, tags: ClipTags, visibility: ClipVisibility });
export type ClipFormValues = z.input<typeof ClipForm>;

/** The form's values for a clip as the server has it. */
export function clipFormValues(clip: Pick<ClipSummary, 'title' | 'note' | 'tags' | 'visibility'>): ClipFormValues {
  return { title: clip.title, note: clip.note, tags: [...clip.tags], visibility: clip.visibility };
}

/** The title and note labels a form shows (the live panel says "Clip title"; the library "Title"). */
export interface ClipFieldLabels {
  title: string;
  note: string;
}

/** A clip details form (react-hook-form + `ClipForm`), with messages worded by `labels`. */
export function useClipForm(initial: ClipFormValues, labels: ClipFieldLabels) {
  return useContractForm(ClipForm, initial, { ...labels, tags: 'Tags', visibility: 'Who can see it' });
}
export type ClipFormApi = ReturnType<typeof useClipForm>;

/** Title, note, tags (a list field, through `Controller`) and visibility of a clip form. */
export function ClipFields({
  form,
  labels,
  titlePlaceholder,
  noteRows = 3,
  notePlaceholder,
  autoFocus,
}: {
  form: ClipFormApi;
  labels: ClipFieldLabels;
  titlePlaceholder: string;
  noteRows?: number;
  notePlaceholder?: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField label={labels.title} placeholder={titlePlaceholder} maxLength={120} autoFocus={autoFocus} {...form.field('title')} />
      <TextAreaField label={labels.note} rows={noteRows} maxLength={4000} placeholder={notePlaceholder} {...form.field('note')} />
      <Controller
        control={form.form.control}
        name="tags"
        render={({ field }) => (
          <TagPicker
            value={field.value}
            onChange={(tags) => {
              field.onChange(tags);
              form.form.clearErrors('tags');
            }}
            disabled={form.busy}
            error={form.fieldError('tags')}
          />
        )}
      />
      <VisibilityField {...form.field('visibility')} />
    </>
  );
}
