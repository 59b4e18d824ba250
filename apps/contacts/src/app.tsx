import { NuageError, type NuageClient } from '@nuage/client';
import { AppShell, Button, EmptyState, ListDetail, useT, useToast, type IconName } from '@nuage/ui';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import './app.css';
import { ContactForm } from './contact-form.js';
import { ContactList } from './contact-list.js';
import { ContactView } from './contact-view.js';
import { ContactsApi, FIELD_KEYS } from './contacts-api.js';
import { DuplicatesDialog } from './duplicates-dialog.js';
import { mergeFields } from './duplicates.js';
import { downloadVcf } from './export-vcf.js';
import { groupsOf } from './filter.js';
import { ImportDialog } from './import-dialog.js';
import { displayName } from './text.js';
import type { ContactDoc, ContactFields } from './types.js';
import { useContacts } from './use-contacts.js';

/** What the detail shows; an edit remembers the revision it started from, to detect a phone's sync. */
type Mode =
  { kind: 'view'; id: string } | { kind: 'edit'; id: string; base: ContactDoc } | { kind: 'new' } | null;

/** The structured fields of a stored contact, without DAV's members or other apps' ones. */
function fieldsOf(contact: ContactDoc): ContactFields {
  return Object.fromEntries(Object.entries(contact).filter(([key]) => FIELD_KEYS.has(key)));
}

/** The list of contacts beside the open one, and the app's actions: new, import, export, duplicates. */
export function App({ client }: { client: NuageClient }): JSX.Element {
  const t = useT();
  const toast = useToast();
  const api = useMemo(() => new ContactsApi(client), [client]);
  const fail = (error: unknown) =>
    toast.show(
      t('error.generic', {
        detail: error instanceof NuageError ? error.detail || error.title : String(error),
      }),
      {
        kind: 'error',
      },
    );
  const { entries, book, apply, byId } = useContacts(client, api, fail);
  const [mode, setMode] = useState<Mode>(null);
  const [dialog, setDialog] = useState<'import' | 'duplicates' | null>(null);
  const knownGroups = useMemo(() => groupsOf(entries ?? []).map((g) => g.name), [entries]);
  const current = mode && mode.kind !== 'new' ? byId(mode.id) : undefined;

  /** Writes fields over a contact; a conflict (a phone synced meanwhile) reloads it instead. */
  const save = async (stored: ContactDoc, fields: ContactFields): Promise<ContactDoc | null> => {
    try {
      const written = await api.update(stored, fields);
      apply(written);
      return written;
    } catch (error) {
      if (!(error instanceof NuageError && error.code === 'conflict')) throw error;
      apply(await api.contacts.get(stored._id));
      toast.show(t('error.conflict'), { kind: 'error' });
      return null;
    }
  };
  const guarded = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      fail(error);
    }
  };

  const detail = (() => {
    if (mode?.kind === 'new') {
      return (
        <ContactForm
          title={t('form.newTitle')}
          initial={{}}
          onCancel={() => setMode(null)}
          onSave={(fields) =>
            guarded(async () => {
              if (!book) return;
              const created = await api.create(fields, book._id);
              apply(created);
              setMode({ kind: 'view', id: created._id });
              toast.show(t('contact.saved'), { kind: 'success' });
            })
          }
        />
      );
    }
    if (!current || !mode) return null;
    const name = displayName(current) || t('contact.unnamed');
    if (mode.kind === 'edit') {
      return (
        <ContactForm
          key={current._id}
          title={t('form.editTitle', { name })}
          initial={fieldsOf(mode.base)}
          onCancel={() => setMode({ kind: 'view', id: current._id })}
          onSave={(fields) =>
            guarded(async () => {
              if (await save(mode.base, fields)) toast.show(t('contact.saved'), { kind: 'success' });
              setMode({ kind: 'view', id: current._id });
            })
          }
        />
      );
    }
    return (
      <ContactView
        contact={current}
        knownGroups={knownGroups}
        onEdit={() => setMode({ kind: 'edit', id: current._id, base: current })}
        onExport={() => downloadVcf([current], `${name.replace(/[\\/:*?"<>|]+/g, '_')}.vcf`)}
        onGroups={(groups) =>
          guarded(async () => void (await save(current, { ...fieldsOf(current), groups })))
        }
        onDelete={() =>
          guarded(async () => {
            await api.remove(current);
            apply({ ...current, _deleted: true });
            setMode(null);
            toast.show(t('contact.deleted'), { kind: 'success' });
          })
        }
      />
    );
  })();

  const merge = (keep: ContactDoc, other: ContactDoc) =>
    guarded(async () => {
      // Keep first, then delete: a failure in between leaves both contacts, never neither.
      if (!(await save(keep, mergeFields(fieldsOf(keep), fieldsOf(other))))) return;
      await api.remove(other);
      apply({ ...other, _deleted: true });
      toast.show(t('duplicates.merged'), { kind: 'success' });
    });

  const all = entries ?? [];
  return (
    <AppShell
      appName={t('app.name')}
      instance={client.instance}
      actions={
        <>
          <Action
            icon="plus"
            label={t('actions.new')}
            disabled={!book}
            onClick={() => setMode({ kind: 'new' })}
          />
          <Action icon="upload" label={t('actions.import')} onClick={() => setDialog('import')} />
          <Action
            icon="download"
            label={t('actions.export')}
            disabled={all.length === 0}
            onClick={() => {
              downloadVcf(
                all.map((e) => e.contact),
                t('export.filename'),
              );
              toast.show(t('export.done', { count: all.length }), { kind: 'success' });
            }}
          />
          <Action
            icon="check"
            label={t('actions.duplicates')}
            disabled={all.length < 2}
            onClick={() => setDialog('duplicates')}
          />
        </>
      }
    >
      <ListDetail
        list={
          <ContactList
            entries={entries}
            selected={current?._id ?? null}
            onSelect={(id) => setMode({ kind: 'view', id })}
          />
        }
        detail={detail}
        placeholder={<EmptyState icon="note" title={t('list.pick')} />}
        onBack={() => setMode(null)}
      />
      <ImportDialog
        open={dialog === 'import'}
        api={api}
        addressbook={book?._id ?? null}
        existingUids={() => new Set(all.flatMap((e) => (e.contact.uid ? [e.contact.uid] : [])))}
        onClose={() => setDialog(null)}
        onError={fail}
      />
      <DuplicatesDialog
        open={dialog === 'duplicates'}
        entries={all}
        onMerge={merge}
        onClose={() => setDialog(null)}
      />
    </AppShell>
  );
}

/** A top-bar action: its icon, with its words beside it where there is room (hidden on phones). */
function Action({
  icon,
  label,
  onClick,
  disabled,
}: {
  icon: IconName;
  label: string;
  onClick: () => void;
  disabled?: boolean;
}) {
  return (
    <Button
      variant="ghost"
      icon={icon}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      <span class="action-text" aria-hidden="true">
        {label}
      </span>
    </Button>
  );
}
