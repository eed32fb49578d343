/**
 * Hands a file the app fetched (a CSV export) to the shell's download: the browser's, or
 * Electron's save dialog. The blob is freed once the download has its own copy.
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
