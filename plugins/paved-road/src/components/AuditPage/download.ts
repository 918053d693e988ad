// FileSaver.js keeps its object URLs this long: some browsers read the URL
// after click() returns, so revoking at once can cancel the download.
const REVOKE_AFTER_MS = 40_000;

/**
 * Saves a blob as a file. The export is fetched with the user's token, so
 * it cannot be a plain link; an object URL hands the fetched bytes to the
 * browser's own download.
 */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
