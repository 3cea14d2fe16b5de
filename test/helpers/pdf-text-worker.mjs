import { Buffer } from 'node:buffer';
import process from 'node:process';

// Prints the text of the PDF on standard input as JSON ({ text, pages, title }), with PDF.js (pdfjs-dist).
// A separate Node.js process: PDF.js is an ES module, which Jest's CommonJS runtime cannot load.

// PDF.js 6 uses Promise.withResolvers, which Node.js has from 22 on; the project supports 20.19 as well.
Promise.withResolvers ??= function withResolvers() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
const pdf = await pdfjs.getDocument({ data: new Uint8Array(Buffer.concat(chunks)), useSystemFonts: false }).promise;
const pages = [];
for (let i = 1; i <= pdf.numPages; i += 1) {
  const content = await (await pdf.getPage(i)).getTextContent();
  pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
}
const meta = await pdf.getMetadata();
process.stdout.write(JSON.stringify({ text: pages.join('\f'), pages: pdf.numPages, title: meta.info?.Title }));
await pdf.cleanup();
