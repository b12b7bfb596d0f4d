/**
 * A generated part of a hand-written file, between two marker comments, so the rest stays
 * editable: `<!-- generated: NAME -->` … `<!-- end of generated: NAME -->`.
 */
export function replaceSection(text: string, name: string, content: string, file: string): string {
  const begin = `<!-- generated: ${name} (npm run docs) -->`;
  const end = `<!-- end of generated: ${name} -->`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) {
    throw new Error(`${file} has no section marked "${begin}" … "${end}"; put the two markers where the generated ${name} goes`);
  }
  return `${text.slice(0, start + begin.length)}\n${content}\n${text.slice(stop)}`;
}
