import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { escapeHtml } from '../../lib/html.js';
import type { AgreementDocument, DocBlock, DocSection } from './document-model.js';

/**
 * OBLIGATIONS AGR-4: the document model rendered as Markdown, a self-contained HTML page and a PDF.
 * OBLIGATIONS AGR-3: the Markdown is "the exact text shown": an acceptance carries its SHA-256
 * (documentHash), and the server compares it with the hash of the current rendering.
 */

// ---------------------------------------------------------------- Markdown

/** Escapes what Markdown would read as markup in a line of plain text. */
function mdText(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_[\]<>#|~])/g, '\\$1')
    .replace(/^(\s*)([-+]|\d+\.)(\s)/, '$1\\$2$3');
}

function mdBlock(b: DocBlock): string {
  switch (b.kind) {
    case 'paragraph':
      return mdText(b.text);
    case 'subheading':
      return `### ${mdText(b.text)}`;
    case 'list':
      return b.items.map((i) => `- ${mdText(i)}`).join('\n');
    case 'table':
      return [
        `| ${b.head.map(mdText).join(' | ')} |`,
        `|${b.head.map(() => ' --- |').join('')}`,
        ...b.rows.map((r) => `| ${r.map(mdText).join(' | ')} |`),
      ].join('\n');
  }
}

function mdSection(s: DocSection): string {
  return [`## ${mdText(s.title)}`, ...s.blocks.map(mdBlock)].join('\n\n');
}

export function toMarkdown(doc: AgreementDocument): string {
  return (
    [
      `# ${mdText(doc.title)}`,
      mdText(doc.subtitle),
      ...doc.sections.map(mdSection),
      ...doc.annexes.map(mdSection),
    ].join('\n\n') + '\n'
  );
}

/** SHA-256 (hex) of the Markdown rendering: what an owner's acceptance names (AGR-3). */
export function documentHash(doc: AgreementDocument): string {
  return sha256Hex(toMarkdown(doc));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---------------------------------------------------------------- HTML

function htmlBlock(b: DocBlock): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'subheading':
      return `<h3>${escapeHtml(b.text)}</h3>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'table':
      return `<table><thead><tr>${b.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  }
}

function htmlSection(s: DocSection): string {
  return `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${s.blocks.map(htmlBlock).join('\n')}</section>`;
}

const CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
.subtitle{color:#555}@media print{body{margin:0;max-width:none}}`;

/** A self-contained page (inline style, no script, no external resource), with the hash of its Markdown. */
export function toHtml(doc: AgreementDocument): string {
  return `<!doctype html>
<html lang="${doc.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="peil-document-sha256" content="${documentHash(doc)}">
<title>${escapeHtml(doc.title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(doc.title)}</h1><p class="subtitle">${escapeHtml(doc.subtitle)}</p>
${doc.sections.map(htmlSection).join('\n')}
${doc.annexes.map(htmlSection).join('\n')}
</main></body></html>
`;
}

// ---------------------------------------------------------------- PDF

/**
 * The PDF uses the standard Helvetica fonts (nothing embedded), whose WinAnsi encoding covers Dutch
 * (ë, é, ï, ö, ...) and the other Western European letters. A character outside it is written as its
 * closest ASCII form when there is one (≥ → >=), else '?', rather than dropped silently.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const FALLBACK: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '→': '->',
  '←': '<-',
  '−': '-',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
};

export function pdfSafe(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (c === 0x0a) out += ' ';
    else
      out +=
        FALLBACK[ch] ??
        ch
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .match(/^[\x20-\x7e]+$/)?.[0] ??
        '?';
  }
  return out;
}

export function toPdf(doc: AgreementDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: pdfSafe(doc.title), Subject: pdfSafe(doc.subtitle), Creator: 'Peil', Producer: 'Peil' },
      lang: doc.lang,
      displayTitle: true,
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    const left = pdf.page.margins.left;
    const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
    const bottom = () => pdf.page.height - pdf.page.margins.bottom;
    const ensure = (h: number) => {
      if (pdf.y + h > bottom()) pdf.addPage();
    };

    pdf.font('Helvetica-Bold').fontSize(16).text(pdfSafe(doc.title), { width });
    pdf.font('Helvetica').fontSize(10).fillColor('#555555').text(pdfSafe(doc.subtitle)).fillColor('#000000');

    const table = (head: string[], rows: string[][]) => {
      const cols = head.length;
      const colWidth = width / cols;
      const pad = 3;
      const drawRow = (cells: string[], bold: boolean) => {
        pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(cols > 4 ? 7.5 : 9);
        const h =
          Math.max(...cells.map((c) => pdf.heightOfString(pdfSafe(c), { width: colWidth - 2 * pad }))) + 2 * pad;
        ensure(h);
        const y = pdf.y;
        cells.forEach((c, i) => {
          pdf
            .rect(left + i * colWidth, y, colWidth, h)
            .strokeColor('#bbbbbb')
            .lineWidth(0.5)
            .stroke();
          pdf.text(pdfSafe(c), left + i * colWidth + pad, y + pad, { width: colWidth - 2 * pad });
        });
        pdf.x = left;
        pdf.y = y + h;
      };
      drawRow(head, true);
      for (const r of rows) drawRow(r, false);
      pdf.moveDown(0.5);
    };

    const section = (s: DocSection) => {
      ensure(60);
      pdf.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(pdfSafe(s.title), left, pdf.y, { width });
      pdf.moveDown(0.3);
      for (const b of s.blocks) {
        switch (b.kind) {
          case 'paragraph':
            pdf.font('Helvetica').fontSize(10).text(pdfSafe(b.text), left, pdf.y, { width, align: 'left' });
            pdf.moveDown(0.4);
            break;
          case 'subheading':
            ensure(30);
            pdf.font('Helvetica-Bold').fontSize(10).text(pdfSafe(b.text), left, pdf.y, { width });
            pdf.moveDown(0.2);
            break;
          case 'list':
            pdf
              .font('Helvetica')
              .fontSize(10)
              .list(b.items.map(pdfSafe), left, pdf.y, { width, bulletRadius: 1.5, textIndent: 10 });
            pdf.moveDown(0.4);
            break;
          case 'table':
            table(b.head, b.rows);
            break;
        }
      }
    };
    for (const s of doc.sections) section(s);
    for (const s of doc.annexes) {
      pdf.addPage();
      section(s);
    }
    pdf.end();
  });
}
