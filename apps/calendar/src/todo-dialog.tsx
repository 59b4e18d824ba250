import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Button, Dialog, TextField, useT } from '@nuage/ui';
import type { CalendarDoc } from './api.js';
import { AreaField, InputField, SelectField } from './fields.js';
import { PRIORITY_CHOICES, priorityLevel, type TodoDraft } from './todos.js';

export interface TodoDialogProps {
  initial: TodoDraft;
  /** Editing an existing to-do (else creating one). */
  existing: boolean;
  /** The calendars that may hold to-dos: the lists offered. */
  calendars: CalendarDoc[];
  onSave: (draft: TodoDraft) => Promise<void>;
  onDelete: () => Promise<void>;
  onClose: () => void;
}

/** Creates or edits a to-do: title, list, due date and time, priority and notes. */
export function TodoDialog(props: TodoDialogProps): JSX.Element {
  const t = useT();
  const [draft, setDraft] = useState<TodoDraft>(props.initial);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof TodoDraft>(key: K) =>
    (value: TodoDraft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const invalid = !draft.summary.trim() || !draft.calendar;
  const run = (action: () => Promise<void>) => {
    setBusy(true);
    void action().finally(() => setBusy(false));
  };
  const save = (event?: Event) => {
    event?.preventDefault();
    if (!invalid) run(() => props.onSave(draft));
  };
  // A priority a phone wrote outside the three offered (2, 7, …) stays selectable, so saving keeps it.
  const priorities = [...new Set([...PRIORITY_CHOICES, ...(draft.priority ? [draft.priority] : [])])].sort(
    (a, b) => a - b,
  );
  const priorityName = (p: number) =>
    (PRIORITY_CHOICES as readonly number[]).includes(p)
      ? t(`priority.${priorityLevel(p)}`)
      : t('priority.value', { value: p });
  return (
    <Dialog
      open
      title={props.existing ? t('todo.edit') : t('todo.new')}
      onClose={props.onClose}
      actions={
        <>
          {props.existing ? (
            <Button variant="danger" icon="trash" busy={busy} onClick={() => run(props.onDelete)}>
              {t('todo.delete')}
            </Button>
          ) : null}
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" busy={busy} disabled={invalid} onClick={() => save()}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form class="cal-form" onSubmit={save}>
        <TextField label={t('todo.title')} value={draft.summary} onValue={set('summary')} autoFocus />
        <SelectField label={t('todo.list')} value={draft.calendar} onValue={set('calendar')}>
          {props.calendars.map((c) => (
            <option key={c._id} value={c._id}>
              {c.name || c._id}
            </option>
          ))}
        </SelectField>
        <div class="cal-form__row">
          <InputField
            label={t('todo.dueDate')}
            type="date"
            value={draft.dueDate}
            onValue={(dueDate) => setDraft((d) => ({ ...d, dueDate, dueTime: dueDate ? d.dueTime : '' }))}
          />
          {draft.dueDate ? (
            <InputField
              label={t('todo.dueTime')}
              type="time"
              value={draft.dueTime}
              onValue={set('dueTime')}
            />
          ) : null}
        </div>
        <SelectField
          label={t('todo.priority')}
          value={String(draft.priority)}
          onValue={(v) => set('priority')(Number(v))}
        >
          <option value="0">{t('priority.none')}</option>
          {priorities.map((p) => (
            <option key={p} value={String(p)}>
              {priorityName(p)}
            </option>
          ))}
        </SelectField>
        <AreaField label={t('todo.notes')} value={draft.description} onValue={set('description')} />
        {/* Enter in a field submits. */}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
