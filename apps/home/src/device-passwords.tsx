import { Button, Dialog, Spinner, TextField, useT, useToast } from '@nuage/ui';
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf, type HomeApi } from './api.js';
import type { DevicePassword } from './types.js';

/** Passwords for phones and sync tools: listed, created (shown once), revoked. */
export function DevicePasswords({ api, language }: { api: HomeApi; language: string }): JSX.Element {
  const t = useT();
  const toast = useToast();
  const [devices, setDevices] = useState<DevicePassword[] | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ name: string; password: string } | null>(null);
  const fail = (failure: unknown) => toast.show(messageOf(failure), { kind: 'error' });

  const load = useCallback(() => {
    api.devicePasswords().then(setDevices, fail);
    // `fail` only shows a toast; its identity changing must not reload the list.
  }, [api]);
  useEffect(load, [load]);

  const create = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    try {
      const answer = await api.createDevicePassword(name.trim());
      setCreated({ name: answer.device.name, password: answer.password });
      setName('');
      load();
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (device: DevicePassword) => {
    try {
      await api.revokeDevicePassword(device.id);
      toast.show(t('devices.revoked', { name: device.name }), { kind: 'success' });
      load();
    } catch (failure) {
      fail(failure);
    }
  };

  return (
    <section class="home-section" aria-labelledby="devices-title">
      <h2 id="devices-title">{t('devices.title')}</h2>
      <p class="home-muted">{t('devices.intro')}</p>
      {devices === null ? (
        <Spinner />
      ) : devices.length === 0 ? (
        <p class="home-muted">{t('devices.none')}</p>
      ) : (
        <ul class="home-rows">
          {devices.map((device) => (
            <li key={device.id} class="home-row">
              <div class="home-row__text">
                <strong>{device.name}</strong>
                <span class="home-muted">
                  {device.lastUsedAt
                    ? t('devices.lastUsed', { date: new Date(device.lastUsedAt).toLocaleString(language) })
                    : t('devices.neverUsed')}
                </span>
              </div>
              <Button
                variant="danger"
                onClick={() => void revoke(device)}
                aria-label={t('devices.revokeNamed', { name: device.name })}
              >
                {t('devices.revoke')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form class="home-inline-form" onSubmit={(event) => void create(event)}>
        <TextField
          label={t('devices.name')}
          value={name}
          onValue={setName}
          maxLength={100}
          placeholder={t('devices.placeholder')}
        />
        <Button type="submit" variant="primary" busy={busy} disabled={!name.trim()}>
          {t('devices.create')}
        </Button>
      </form>
      <Dialog
        open={created !== null}
        title={t('devices.createdTitle', { name: created?.name ?? '' })}
        onClose={() => setCreated(null)}
        actions={
          <Button variant="primary" onClick={() => setCreated(null)}>
            {t('common.done')}
          </Button>
        }
      >
        <p>{t('devices.createdText')}</p>
        <p class="home-secret">
          <code>{created?.password}</code>
        </p>
      </Dialog>
    </section>
  );
}
