// The journal's files (see crates/device/src/journal.rs): a dedicated worker,
// because only a worker can write a file of the origin private file system
// in place (createSyncAccessHandle). It only reads and writes bytes where
// the app says; the format and policy are the app's.
//
// Messages: {id, op: 'open', names: [a, b]} answers {id, files: [bytes, bytes]};
// {id, op: 'write', file, at, bytes, truncate} writes, flushes (to disk), and
// answers {id}. A failure answers {id, error: name}. Each write returns once
// the bytes are in the file: a browser killed after that keeps them.
'use strict';

let handles = null;

async function openHandles(names) {
  const dir = await navigator.storage.getDirectory();
  const out = [];
  for (const name of names) {
    const file = await dir.getFileHandle(name, { create: true });
    // The page this one replaces may hold the file a moment longer.
    for (let attempt = 0; ; attempt++) {
      try {
        out.push(await file.createSyncAccessHandle());
        break;
      } catch (e) {
        if (attempt >= 20 || e.name !== 'NoModificationAllowedError') {
          for (const h of out) h.close();
          throw e;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  return out;
}

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    if (m.op === 'open') {
      handles = await openHandles(m.names);
      const files = handles.map((h) => {
        const bytes = new Uint8Array(h.getSize());
        h.read(bytes, { at: 0 });
        return bytes;
      });
      self.postMessage({ id: m.id, files });
    } else if (m.op === 'write') {
      const h = handles[m.file];
      if (m.truncate) h.truncate(m.at);
      if (m.bytes.length > 0 && h.write(m.bytes, { at: m.at }) !== m.bytes.length) {
        throw new DOMException('short write', 'QuotaExceededError');
      }
      h.flush();
      self.postMessage({ id: m.id });
    }
  } catch (e) {
    self.postMessage({ id: m.id, error: e && e.name ? e.name : String(e) });
  }
};
