/** A file mode as people and chmod write it: four octal digits (0600). Written once for every message that shows one. */
export function octalMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
