import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Button, Dialog, TextField, useT } from '@nuage/ui';
import { COLORS, type CalendarDoc } from './api.js';
import { InputField } from './fields.js';
import { isKnownZone, localZone } from './timezone.js';
import type { CalendarFields } from './types.js';

export interface CalendarDialogProps {
  calendar: CalendarDoc | null;
  onSave: (fields: CalendarFields) => Promise<void>;
  onDelete: () => Promise<void>;
  onClose: () => void;
}

/** Adds or edits a calendar: its name, colour and time zone (for floating times), or deletes it. */
export function CalendarDialog({ calendar, onSave, onDelete, onClose }: CalendarDialogProps): JSX.Element {
  const t = useT();
  const [name, setName] = useState(calendar?.name ?? '');
  const [color, setColor] = useState((calendar?.color ?? COLORS[1] ?? '#d9483b').slice(0, 7));
  const [timezone, setTimezone] = useState(calendar?.timezone ?? localZone());
  const [busy, setBusy] = useState(false);
  const zoneOk = timezone === '' || isKnownZone(timezone);
  const run = (action: () => Promise<void>) => {
    setBusy(true);
    void action().finally(() => setBusy(false));
  };
  const save = () =>
    run(() =>
      onSave({
        ...(calendar ?? { components: ['VEVENT', 'VTODO'] }),
        name: name.trim(),
        color,
        ...(timezone ? { timezone } : {}),
      }),
    );
  return (
    <Dialog
      open
      title={calendar ? t('calendars.edit') : t('calendars.new')}
      onClose={onClose}
      actions={
        <>
          {calendar ? (
            <Button variant="danger" icon="trash" busy={busy} onClick={() => run(onDelete)}>
              {t('calendars.delete')}
            </Button>
          ) : null}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" busy={busy} disabled={!name.trim() || !zoneOk} onClick={save}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <div class="cal-form">
        <TextField label={t('calendars.name')} value={name} onValue={setName} autoFocus />
        <InputField label={t('calendars.color')} type="color" value={color} onValue={setColor} />
        <TextField
          label={t('calendars.timezone')}
          value={timezone}
          onValue={setTimezone}
          hint={t('calendars.timezoneHint')}
          {...(zoneOk ? {} : { error: t('calendars.badZone') })}
        />
      </div>
    </Dialog>
  );
}
