/**
 * Lets the browser download a URL itself, streaming to disk: the stack answers with
 * `Content-Disposition: attachment`, so following the link saves the file and leaves the page alone.
 */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
