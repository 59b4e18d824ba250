import { Button, TextField, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { BIRTHDAY, cleanFields, PROPERTY_NAME } from './clean.js';
import { EntryList } from './entry-list.js';
import { PhotoField } from './photo-field.js';
import { TypeSelect } from './type-select.js';
import type { Address, ContactFields, Email, Phone, StructuredName } from './types.js';

export interface ContactFormProps {
  title: string;
  initial: ContactFields;
  onSave: (fields: ContactFields) => Promise<void>;
  onCancel: () => void;
}

const NAME_PARTS = ['prefix', 'givenName', 'additionalNames', 'familyName', 'suffix'] as const;
const joinName = (n: StructuredName | undefined) =>
  NAME_PARTS.map((k) => n?.[k]?.trim())
    .filter(Boolean)
    .join(' ');

/** Every field of a contact, editable; saving writes the structured fields only (never the vCard). */
export function ContactForm({ title, initial, onSave, onCancel }: ContactFormProps): JSX.Element {
  const t = useT();
  const [draft, setDraft] = useState<ContactFields>(initial);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof ContactFields>(key: K, value: ContactFields[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const setName = (key: keyof StructuredName, value: string) =>
    setDraft((d) => {
      const name = { ...d.name, [key]: value };
      // A full name that was just the parts joined follows them; one typed by hand stays.
      const follows = !d.fullname?.trim() || d.fullname.trim() === joinName(d.name);
      return { ...d, name, ...(follows ? { fullname: joinName(name) } : {}) };
    });
  const birthdayError =
    draft.birthday?.trim() && !BIRTHDAY.test(draft.birthday.trim()) ? 'YYYY-MM-DD / --MM-DD' : undefined;
  const customError = (draft.custom ?? []).some((c) => c.name.trim() && !PROPERTY_NAME.test(c.name.trim()))
    ? t('field.customInvalid')
    : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (birthdayError || customError) return;
    setSaving(true);
    try {
      await onSave(cleanFields(draft));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="contact-form" onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      <PhotoField name={draft.fullname ?? ''} photo={draft.photo} onPhoto={(photo) => set('photo', photo)} />
      <div class="grid">
        <TextField
          label={t('field.fullname')}
          value={draft.fullname ?? ''}
          onValue={(v) => set('fullname', v)}
        />
        <TextField
          label={t('field.givenName')}
          value={draft.name?.givenName ?? ''}
          onValue={(v) => setName('givenName', v)}
        />
        <TextField
          label={t('field.familyName')}
          value={draft.name?.familyName ?? ''}
          onValue={(v) => setName('familyName', v)}
        />
        <TextField
          label={t('field.additionalNames')}
          value={draft.name?.additionalNames ?? ''}
          onValue={(v) => setName('additionalNames', v)}
        />
        <TextField
          label={t('field.prefix')}
          value={draft.name?.prefix ?? ''}
          onValue={(v) => setName('prefix', v)}
        />
        <TextField
          label={t('field.suffix')}
          value={draft.name?.suffix ?? ''}
          onValue={(v) => setName('suffix', v)}
        />
        <TextField label={t('field.org')} value={draft.org ?? ''} onValue={(v) => set('org', v)} />
        <TextField
          label={t('field.department')}
          value={draft.department ?? ''}
          onValue={(v) => set('department', v)}
        />
        <TextField label={t('field.title')} value={draft.title ?? ''} onValue={(v) => set('title', v)} />
        <TextField
          label={t('field.birthday')}
          value={draft.birthday ?? ''}
          placeholder="1985-04-12"
          error={birthdayError}
          onValue={(v) => set('birthday', v)}
        />
      </div>
      <EntryList
        legend={t('field.emails')}
        items={draft.emails ?? []}
        onChange={(emails) => set('emails', emails)}
        make={(): Email => ({ address: '' })}
        addLabel={t('field.addEmail')}
      >
        {(email, replace) => (
          <>
            <TextField
              type="email"
              label={t('field.email')}
              value={email.address}
              onValue={(address) => replace({ ...email, address })}
            />
            <TypeSelect entry={email} choices={['home', 'work', 'other']} onChange={replace} />
          </>
        )}
      </EntryList>
      <EntryList
        legend={t('field.phones')}
        items={draft.phones ?? []}
        onChange={(phones) => set('phones', phones)}
        make={(): Phone => ({ number: '' })}
        addLabel={t('field.addPhone')}
      >
        {(phone, replace) => (
          <>
            <TextField
              type="tel"
              label={t('field.phone')}
              value={phone.number}
              onValue={(number) => replace({ ...phone, number })}
            />
            <TypeSelect entry={phone} choices={['cell', 'home', 'work', 'other']} onChange={replace} />
          </>
        )}
      </EntryList>
      <EntryList
        legend={t('field.addresses')}
        items={draft.addresses ?? []}
        onChange={(addresses) => set('addresses', addresses)}
        make={(): Address => ({})}
        addLabel={t('field.addAddress')}
      >
        {(address, replace) => (
          <>
            {(['street', 'postalCode', 'locality', 'region', 'country'] as const).map((part) => (
              <TextField
                key={part}
                label={t(`field.${part}`)}
                value={address[part] ?? ''}
                onValue={(value) => replace({ ...address, [part]: value })}
              />
            ))}
            <TypeSelect entry={address} choices={['home', 'work', 'other']} onChange={replace} />
          </>
        )}
      </EntryList>
      <label class="nu-field">
        <span class="nu-field__label">{t('field.note')}</span>
        <textarea
          class="nu-field__input"
          rows={4}
          value={draft.note ?? ''}
          onInput={(e) => set('note', e.currentTarget.value)}
        />
      </label>
      <EntryList
        legend={t('field.custom')}
        items={draft.custom ?? []}
        onChange={(custom) => set('custom', custom)}
        make={() => ({ name: 'X-', value: '' })}
        addLabel={t('field.addCustom')}
      >
        {(field, replace) => (
          <>
            <TextField
              label={t('field.customName')}
              value={field.name}
              onValue={(name) => replace({ ...field, name })}
            />
            <TextField
              label={t('field.customValue')}
              value={field.value}
              onValue={(value) => replace({ ...field, value })}
            />
          </>
        )}
      </EntryList>
      {customError ? (
        <p class="nu-field__error">{customError}</p>
      ) : (
        <p class="muted small">{t('field.customHint')}</p>
      )}
      <div class="actions sticky-actions">
        <Button type="submit" variant="primary" icon="check" busy={saving}>
          {t('form.save')}
        </Button>
        <Button onClick={onCancel}>{t('form.cancel')}</Button>
      </div>
    </form>
  );
}
