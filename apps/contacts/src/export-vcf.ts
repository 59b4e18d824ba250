import type { ContactDoc } from './types.js';
import { exportText } from './vcard/write.js';

/** Downloads contacts as one .vcf file, through a blob URL the browser saves under `filename`. */
export function downloadVcf(contacts: readonly ContactDoc[], filename: string): void {
  const blob = new Blob(contacts.map(exportText), { type: 'text/vcard;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
