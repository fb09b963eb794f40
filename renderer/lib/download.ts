/** Saves text as a file through the browser's download, so it works the same in Electron and a browser. */

/** Offers `text` (or its parts, joined) for download as `fileName`. */
export function downloadText(fileName: string, text: string | readonly string[], type = 'text/plain;charset=utf-8'): void {
  // Parts go into the Blob as they are: a long export is never one huge string.
  const url = URL.createObjectURL(new Blob(typeof text === 'string' ? [text] : [...text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once the click's task ran.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
