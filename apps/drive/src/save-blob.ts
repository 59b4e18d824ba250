/**
 * Saves a Blob as a download. Links cannot carry the bearer token, so content is fetched first and
 * handed to the browser through an object URL, revoked once the browser has taken it.
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
