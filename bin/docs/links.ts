import path from 'node:path';

/**
 * The relative links of the Markdown files in `files` (path → content, as the package ships them)
 * that lead nowhere in it: to a file or folder it does not hold, or to a heading a Markdown file
 * does not have. Links with a scheme (`https:`) are left alone.
 */
export function brokenLinks(files: ReadonlyMap<string, string | undefined>): string[] {
  const broken: string[] = [];
  for (const [file, content] of files) {
    if (!file.endsWith('.md') || content === undefined) continue;
    for (const target of linkTargets(content)) {
      const [where = '', fragment] = target.split('#', 2);
      const resolved = where === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), where)).replace(/\/$/, '');
      const exists = files.has(resolved) || [...files.keys()].some((shipped) => shipped.startsWith(`${resolved}/`));
      if (!exists) {
        broken.push(`${file}: (${target}) leads to ${resolved}, which the package does not hold`);
        continue;
      }
      const heading = files.get(resolved);
      if (fragment !== undefined && resolved.endsWith('.md') && heading !== undefined && !headingAnchors(heading).has(fragment)) {
        broken.push(`${file}: (${target}) leads to no heading of ${resolved}`);
      }
    }
  }
  return broken;
}

/** The targets of `[text](target)` links outside code blocks and code spans. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '``');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** GitHub's anchors of a document's headings: lower case, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): Set<string> {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const anchors = new Set<string>();
  for (const match of prose.matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = match[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\- _]/gu, '')
      .replace(/ /g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n += 1) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}
