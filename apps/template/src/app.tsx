import { NuageError, type NuageClient, type RealtimeState } from '@nuage/client';
import { AppShell, Button, EmptyState, ListDetail, Spinner, TextField, useT, useToast } from '@nuage/ui';
import { useEffect, useMemo, useState } from 'preact/hooks';
import './app.css';
import { applyEvent, sortNotes, type Note, type NoteDoc } from './notes-store.js';

const NOTES = 'io.nuage.notes';

/** The notes, a field to add one, and the selected note; the list follows every change live. */
export function App({ client }: { client: NuageClient }) {
  const t = useT();
  const toast = useToast();
  const notes = useMemo(() => client.documents<Note>(NOTES), [client]);
  const [list, setList] = useState<NoteDoc[] | null>(null);
  const [live, setLive] = useState<RealtimeState>('connecting');
  const [title, setTitle] = useState('');
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  const fail = (error: unknown) =>
    toast.show(t('error.generic', { detail: error instanceof NuageError ? error.detail : String(error) }), {
      kind: 'error',
    });

  useEffect(() => {
    const load = () =>
      notes
        .all()
        .then((result) => setList(sortNotes(result.rows.flatMap((row) => (row.doc ? [row.doc] : [])))))
        .catch(fail);
    // Subscribe first, then load: a note written in between arrives as an event rather than being lost.
    const stop = client.realtime.subscribe<Note>(NOTES, (event) =>
      setList((old) => applyEvent(old ?? [], event)),
    );
    let opened = 0;
    const stopState = client.realtime.onState((state) => {
      setLive(state);
      // Events are not replayed after a reconnection: read the list again.
      if (state === 'open' && opened++ > 0) void load();
    });
    const stopErrors = client.realtime.onError(fail);
    void load();
    return () => {
      stop();
      stopState();
      stopErrors();
    };
    // `fail` is left out on purpose: it only shows a toast, and re-subscribing whenever it changes
    // identity would drop and reopen the subscription for nothing.
  }, [client, notes]);

  const add = async (event: Event) => {
    event.preventDefault();
    if (!title.trim()) return;
    setAdding(true);
    try {
      await notes.create({ title: title.trim(), content: '', created_at: new Date().toISOString() });
      setTitle('');
    } catch (error) {
      fail(error);
    } finally {
      setAdding(false);
    }
  };

  const remove = async (note: NoteDoc) => {
    try {
      await notes.remove(note);
      setSelected(null);
      toast.show(t('notes.deleted'), { kind: 'success' });
    } catch (error) {
      fail(error);
    }
  };

  const current = list?.find((n) => n._id === selected) ?? null;

  return (
    <AppShell
      appName={t('app.name')}
      instance={client.instance}
      actions={<span class="live">{live === 'open' ? t('notes.live') : t('notes.reconnecting')}</span>}
    >
      <ListDetail
        list={
          <>
            <form class="add" onSubmit={(e) => void add(e)}>
              <TextField
                label={t('notes.new')}
                value={title}
                onValue={setTitle}
                placeholder={t('notes.title')}
              />
              <Button type="submit" variant="primary" icon="plus" busy={adding}>
                {t('notes.add')}
              </Button>
            </form>
            {list === null ? (
              <div class="center">
                <Spinner />
              </div>
            ) : list.length === 0 ? (
              <EmptyState icon="note" title={t('notes.empty.title')}>
                {t('notes.empty.text')}
              </EmptyState>
            ) : (
              <ul class="notes">
                {list.map((note) => (
                  <li key={note._id}>
                    <button
                      type="button"
                      class={note._id === selected ? 'note selected' : 'note'}
                      aria-current={note._id === selected ? 'true' : undefined}
                      onClick={() => setSelected(note._id)}
                    >
                      {note.title || t('notes.untitled')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        }
        detail={
          current ? (
            <article>
              <h2>{current.title || t('notes.untitled')}</h2>
              <p class="meta">{new Date(current.created_at).toLocaleString()}</p>
              <Button variant="danger" icon="trash" onClick={() => void remove(current)}>
                {t('notes.delete')}
              </Button>
            </article>
          ) : null
        }
        placeholder={<EmptyState icon="note" title={t('notes.pick')} />}
        onBack={() => setSelected(null)}
      />
    </AppShell>
  );
}
