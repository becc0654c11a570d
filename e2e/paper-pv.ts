// A paper PV as Chromium's fake camera shows it: a page of the printed
// form, filled in by hand, signed, the return's code written on it,
// rendered by a browser and written as a one-frame Y4M video (what
// `--use-file-for-fake-video-capture` reads; Chromium reads the file again
// each time the camera opens, so a test writes page 2 over page 1).
import type { Browser } from '@playwright/test';
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

const WIDTH = 960;
const HEIGHT = 1280;

function html(page: number, code: string, figures: string[]) {
  const rows = figures.map((f) => `<tr><td>${f.split('=')[0]}</td><td class="hand">${f.split('=')[1]}</td></tr>`).join('');
  const signatures = ['Président', 'Secrétaire', 'Assesseur', 'Assesseur']
    .map((r) => `<div class="sig"><span>${r}</span><span class="hand">~ signé ~</span></div>`)
    .join('');
  return `<!doctype html><html><body style="margin:0;background:#ddd">
  <div style="width:${WIDTH - 80}px;height:${HEIGHT - 80}px;margin:40px;background:#fbfaf4;font:22px serif;padding:40px;box-sizing:border-box;transform:rotate(-0.6deg)">
    <h1 style="text-align:center;font-size:30px">PROCÈS-VERBAL DES OPÉRATIONS DE VOTE</h1>
    <p>Primaire citoyenne de démonstration — Bureau DEMO-001 — page ${page} / 2</p>
    ${page === 1 ? `<table style="width:100%;border-collapse:collapse" border="1" cellpadding="8">${rows}</table>
    <p style="margin-top:30px">Code du procès-verbal signé : <span class="hand" style="font-size:34px">${code}</span></p>`
    : `<p>Observations : néant.</p><div style="display:grid;grid-template-columns:1fr 1fr;gap:40px;margin-top:60px">${signatures}</div>
    <p style="margin-top:60px">Code : <span class="hand" style="font-size:34px">${code}</span></p>`}
  </div>
  <style>.hand{font-family:cursive;color:#1a3f9c;font-size:26px}.sig{border-top:1px solid #333;display:flex;flex-direction:column;gap:20px;padding-top:10px}</style>
  </body></html>`;
}

/** Page `page` of the paper PV with `code`, as a PNG (what a phone's camera app saves). */
export async function paperPvPng(browser: Browser, page: number, code: string, figures: string[]) {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: HEIGHT },
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: false,
  });
  const p = await context.newPage();
  await p.setContent(html(page, code, figures));
  const png = await p.screenshot({ clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });
  await context.close();
  return png;
}

/** Writes page `page` of the paper PV with `code` to `file` (Y4M, 4:2:0). */
export async function writePaperPv(browser: Browser, file: string, page: number, code: string, figures: string[]) {
  const png = PNG.sync.read(await paperPvPng(browser, page, code, figures));
  const { width, height, data } = png;
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const o = (j * width + i) * 4;
      const [r, g, b] = [data[o], data[o + 1], data[o + 2]];
      y[j * width + i] = Math.round(0.257 * r + 0.504 * g + 0.098 * b + 16);
      if (j % 2 === 0 && i % 2 === 0) {
        const k = (j / 2) * (width / 2) + i / 2;
        u[k] = Math.round(-0.148 * r - 0.291 * g + 0.439 * b + 128);
        v[k] = Math.round(0.439 * r - 0.368 * g - 0.071 * b + 128);
      }
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  writeFileSync(file, Buffer.concat([header, y, u, v]));
}
