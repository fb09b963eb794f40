/**
 * The UTF-8 byte-order mark every CSV file the app writes for a user starts with.
 *
 * Excel on Windows reads a CSV without it in the system’s ANSI code page, so “日本語 ✓ é” shows
 * as “æ—¥æœ¬èªž âœ“ Ã©”; with it, Excel reads UTF-8, and other readers (LibreOffice, Python’s
 * `utf-8-sig`, csv-parse with `bom`, the app’s own imports) skip it. JSON Lines goes without:
 * JSON forbids it.
 */
export const CSV_BYTE_ORDER_MARK = '\uFEFF';
