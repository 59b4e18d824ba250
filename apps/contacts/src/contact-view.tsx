import { Button, Dialog, useT } from '@nuage/ui';
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Avatar } from './avatar.js';
import { GroupsEditor } from './groups-editor.js';
import { displayName } from './text.js';
import type { Address, ContactDoc, Typed } from './types.js';

export interface ContactViewProps {
  contact: ContactDoc;
  knownGroups: readonly string[];
  onEdit: () => void;
  onDelete: () => Promise<void>;
  onGroups: (groups: string[]) => Promise<void>;
  onExport: () => void;
}

/** One contact, read-only, with its groups editable in place and its actions. */
export function ContactView({
  contact,
  knownGroups,
  onEdit,
  onDelete,
  onGroups,
  onExport,
}: ContactViewProps): JSX.Element {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const name = displayName(contact) || t('contact.unnamed');
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  const job = [contact.title, contact.department, contact.org].filter(Boolean).join(' · ');
  return (
    <article class="contact-view">
      <header class="contact-view__header">
        <Avatar name={name} photo={contact.photo} size={72} alt={t('contact.photo', { name })} />
        <div>
          <h2>{name}</h2>
          {job ? <p class="muted">{job}</p> : null}
        </div>
      </header>
      <div class="actions">
        <Button variant="primary" icon="edit" onClick={onEdit}>
          {t('contact.edit')}
        </Button>
        <Button icon="download" onClick={onExport}>
          {t('contact.exportOne')}
        </Button>
        <Button variant="danger" icon="trash" onClick={() => setConfirming(true)}>
          {t('contact.delete')}
        </Button>
      </div>
      <dl class="fields">
        {(contact.emails ?? []).map((e, i) => (
          <Row key={`e${i}`} label={kindLabel(t('field.email'), e)}>
            <a href={`mailto:${e.address}`}>{e.address}</a>
          </Row>
        ))}
        {(contact.phones ?? []).map((p, i) => (
          <Row key={`p${i}`} label={kindLabel(t('field.phone'), p)}>
            <a href={`tel:${p.number.replace(/[^\d+]/g, '')}`}>{p.number}</a>
          </Row>
        ))}
        {(contact.addresses ?? []).map((a, i) => (
          <Row key={`a${i}`} label={kindLabel(t('field.addresses'), a)}>
            <span class="pre">{addressText(a)}</span>
          </Row>
        ))}
        {contact.birthday ? (
          <Row label={t('field.birthday')}>{contact.birthday.replace(/^--/, '')}</Row>
        ) : null}
        {contact.note ? (
          <Row label={t('field.note')}>
            <span class="pre">{contact.note}</span>
          </Row>
        ) : null}
        {(contact.custom ?? []).map((c, i) => (
          <Row key={`c${i}`} label={c.name}>
            {c.value}
          </Row>
        ))}
      </dl>
      <h3>{t('field.groups')}</h3>
      <GroupsEditor
        groups={contact.groups ?? []}
        known={knownGroups}
        busy={busy}
        onChange={(g) => void run(() => onGroups(g))}
      />
      <Dialog
        open={confirming}
        title={t('contact.confirmDelete', { name })}
        onClose={() => setConfirming(false)}
        actions={
          <>
            <Button onClick={() => setConfirming(false)}>{t('contact.cancel')}</Button>
            <Button variant="danger" busy={busy} onClick={() => void run(onDelete)}>
              {t('contact.delete')}
            </Button>
          </>
        }
      >
        <p>{t('contact.confirmDeleteText')}</p>
      </Dialog>
    </article>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** "Email (work)" — or the entry's Apple label, which the owner chose on the phone. */
function kindLabel(base: string, entry: Typed): string {
  const kind = entry.label ?? entry.types?.filter((t) => t !== 'internet' && t !== 'voice').join(', ');
  return kind ? `${base} (${kind})` : base;
}

function addressText(a: Address): string {
  return [
    a.pobox,
    a.extended,
    a.street,
    [a.postalCode, a.locality].filter(Boolean).join(' '),
    a.region,
    a.country,
  ]
    .filter(Boolean)
    .join('\n');
}
