import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Button, Dialog, TextField, useT } from '@nuage/ui';
import type { CalendarDoc } from './api.js';
import { REMINDER_CHOICES, draftTimes, type Draft, type Repeat, type Scope } from './edits.js';
import { AreaField, CheckField, InputField, SelectField } from './fields.js';

export interface EventDialogProps {
  /** The form's first values. */
  initial: Draft;
  /** Editing an existing event (else creating one). */
  existing: boolean;
  /** The event is a series and an occurrence was opened: ask "this one" or "all". */
  series: boolean;
  /** An instance changed on a phone: shown, not editable here. */
  readOnly: boolean;
  calendars: CalendarDoc[];
  zone: string;
  onSave: (draft: Draft, scope: Scope) => Promise<void>;
  onDelete: (scope: Scope) => Promise<void>;
  onClose: () => void;
}

const REPEATS: Repeat[] = ['none', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

/** Creates or edits an event: title, calendar, times, repetition, reminder, place and notes. */
export function EventDialog(props: EventDialogProps): JSX.Element {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(props.initial);
  const [scope, setScope] = useState<Scope>('one');
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const invalid = draftTimes(draft, props.zone) === null;
  const run = (action: () => Promise<void>) => {
    setBusy(true);
    void action().finally(() => setBusy(false));
  };
  const save = (event?: Event) => {
    event?.preventDefault();
    if (!invalid && !props.readOnly) run(() => props.onSave(draft, scope));
  };
  const repeats = props.initial.repeat === 'custom' ? [...REPEATS, 'custom' as const] : REPEATS;
  return (
    <Dialog
      open
      title={props.existing ? t('event.edit') : t('event.new')}
      onClose={props.onClose}
      actions={
        <>
          {props.existing ? (
            <Button
              variant="danger"
              icon="trash"
              busy={busy}
              onClick={() => run(() => props.onDelete(scope))}
            >
              {t('event.delete')}
            </Button>
          ) : null}
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" busy={busy} disabled={invalid || props.readOnly} onClick={() => save()}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form class="cal-form" onSubmit={save}>
        {props.readOnly ? <p class="cal-note">{t('event.readOnly')}</p> : null}
        <TextField label={t('event.title')} value={draft.summary} onValue={set('summary')} autoFocus />
        <SelectField label={t('event.calendar')} value={draft.calendar} onValue={set('calendar')}>
          {props.calendars.map((c) => (
            <option key={c._id} value={c._id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <CheckField label={t('event.allDay')} checked={draft.allDay} onChecked={set('allDay')} />
        <div class="cal-form__row">
          <InputField
            label={t('event.date')}
            type="date"
            value={draft.date}
            required
            onValue={(date) =>
              setDraft((d) => ({ ...d, date, endDate: d.endDate < date ? date : d.endDate }))
            }
          />
          {draft.allDay ? null : (
            <InputField
              label={t('event.start')}
              type="time"
              value={draft.start}
              required
              onValue={set('start')}
            />
          )}
        </div>
        <div class="cal-form__row">
          <InputField
            label={t('event.endDate')}
            type="date"
            value={draft.endDate}
            required
            onValue={set('endDate')}
          />
          {draft.allDay ? null : (
            <InputField label={t('event.end')} type="time" value={draft.end} required onValue={set('end')} />
          )}
        </div>
        {invalid ? <p class="cal-error">{t('event.endBeforeStart')}</p> : null}
        <SelectField
          label={t('event.repeat')}
          value={draft.repeat}
          onValue={(v) => set('repeat')(v as Repeat)}
        >
          {repeats.map((r) => (
            <option key={r} value={r}>
              {t(`repeat.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('event.reminder')}
          value={draft.reminder === null ? '' : String(draft.reminder)}
          onValue={(v) => set('reminder')(v === '' ? null : Number(v))}
        >
          <option value="">{t('reminder.none')}</option>
          {[...new Set([...REMINDER_CHOICES, ...(draft.reminder === null ? [] : [draft.reminder])])]
            .sort((a, b) => a - b)
            .map((m) => (
              <option key={m} value={String(m)}>
                {m === 0
                  ? t('reminder.atStart')
                  : m % 1440 === 0
                    ? t('reminder.days', { count: m / 1440 })
                    : m % 60 === 0
                      ? t('reminder.hours', { count: m / 60 })
                      : t('reminder.minutes', { count: m })}
              </option>
            ))}
        </SelectField>
        <TextField label={t('event.location')} value={draft.location} onValue={set('location')} />
        <AreaField label={t('event.notes')} value={draft.description} onValue={set('description')} />
        {props.series ? (
          <fieldset class="cal-scope">
            <legend>{t('scope.legend')}</legend>
            <label>
              <input type="radio" name="scope" checked={scope === 'one'} onChange={() => setScope('one')} />
              {t('scope.one')}
            </label>
            <label>
              <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
              {t('scope.all')}
            </label>
          </fieldset>
        ) : null}
        {/* Enter in a field submits. */}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
