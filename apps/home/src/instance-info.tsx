import { Spinner, useT, useToast } from '@nuage/ui';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { messageOf, type HomeApi } from './api.js';
import type { InstanceInfo } from './types.js';

/** "This cloud": its address, owner, age, Nuage's version, and the storage files use. */
export function InstanceInfoSection({ api, language }: { api: HomeApi; language: string }): JSX.Element {
  const t = useT();
  const toast = useToast();
  const [info, setInfo] = useState<InstanceInfo | null>(null);
  useEffect(() => {
    api.instanceInfo().then(setInfo, (failure: unknown) => toast.show(messageOf(failure), { kind: 'error' }));
    // `toast` only shows messages; loading once per Home is enough.
  }, [api]);
  const size = (bytes: number) =>
    new Intl.NumberFormat(language, { style: 'unit', unit: unitOf(bytes), maximumFractionDigits: 1 }).format(
      scaled(bytes),
    );
  return (
    <section class="home-section" aria-labelledby="instance-title">
      <h2 id="instance-title">{t('instance.title')}</h2>
      {info === null ? (
        <Spinner />
      ) : (
        <dl class="home-facts">
          <dt>{t('instance.address')}</dt>
          <dd>{info.domain}</dd>
          <dt>{t('instance.owner')}</dt>
          <dd>{info.owner ?? '—'}</dd>
          <dt>{t('instance.created')}</dt>
          <dd>{new Date(info.createdAt).toLocaleDateString(language)}</dd>
          <dt>{t('instance.storage')}</dt>
          <dd>
            {info.storage.quota === null
              ? t('instance.storageUsed', { used: size(info.storage.used) })
              : t('instance.storageOf', { used: size(info.storage.used), quota: size(info.storage.quota) })}
          </dd>
          <dt>{t('instance.version')}</dt>
          <dd>Nuage {info.version}</dd>
        </dl>
      )}
    </section>
  );
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

function step(bytes: number): number {
  return Math.min(UNITS.length - 1, bytes < 1 ? 0 : Math.floor(Math.log(bytes) / Math.log(1024)));
}

function unitOf(bytes: number): (typeof UNITS)[number] {
  return UNITS[step(bytes)]!;
}

function scaled(bytes: number): number {
  return bytes / 1024 ** step(bytes);
}
