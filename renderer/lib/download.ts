/** Saves text as a file through the browser's download, so it works the same in Electron and a browser. */

/** Offers `text` for download as `fileName`. */
export function downloadText(fileName: string, text: string, type = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
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
