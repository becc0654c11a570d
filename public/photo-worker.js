// Re-encodes a photo of the paper PV off the page's thread (src/camera.rs
// starts it when the photos screen opens; the service worker keeps it for
// offline use). It takes an ImageBitmap (a camera frame) or a Blob (a file
// picked), scales it to `longSide` pixels on its long side at most, and
// encodes it as JPEG under `maxBytes` (core's bound), trying lower
// qualities, then smaller sizes. It answers {bytes, type, width, height}
// or {error}.
self.onmessage = async function (ev) {
  var m = ev.data;
  try {
    var bmp = m.source instanceof Blob ? await createImageBitmap(m.source) : m.source;
    var scale = Math.min(1, m.longSide / Math.max(bmp.width, bmp.height));
    var w = Math.max(1, Math.round(bmp.width * scale));
    var h = Math.max(1, Math.round(bmp.height * scale));
    var out = null;
    for (var round = 0; round < 6; round++) {
      var canvas = new OffscreenCanvas(w, h);
      canvas.getContext('2d').drawImage(bmp, 0, 0, w, h);
      var qualities = [0.85, 0.75, 0.65, 0.55];
      for (var i = 0; i < qualities.length; i++) {
        out = await canvas.convertToBlob({ type: 'image/jpeg', quality: qualities[i] });
        if (out.size <= m.maxBytes) break;
      }
      if (out.size <= m.maxBytes) break;
      w = Math.max(1, Math.round(w * 0.8));
      h = Math.max(1, Math.round(h * 0.8));
    }
    if (bmp.close) bmp.close();
    var bytes = await out.arrayBuffer();
    self.postMessage({ bytes: bytes, type: 'image/jpeg', width: w, height: h }, [bytes]);
  } catch (e) {
    self.postMessage({ error: String((e && e.name) || e) });
  }
};
