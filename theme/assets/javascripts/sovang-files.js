/* Sổ vàng: photo metadata removal and a ZIP writer, in the browser (window.SovangFiles).
 *
 * The composer exports a record folder from photos picked on a phone. The
 * originals end up public in the repository, so whatever a phone wrote into a
 * file (GPS position, owner name, device serial, captions, thumbnails of an
 * earlier crop) would be published with it. Nothing here decodes pixels:
 * the containers are walked and only the blocks a decoder needs are copied,
 * byte for byte, so there is no re-encoding and no quality loss. Everything
 * else is dropped, not edited: an allow-list cannot miss a new kind of block.
 * The orientation is the one fact written back (a phone photo stored sideways
 * would otherwise show sideways), as a minimal EXIF block with that tag only.
 *
 *   inspect(bytes) -> {type, ext, error}    what the file is, or why it is refused
 *   clean(bytes)   -> {bytes, orientation, removed}   throws Error (Vietnamese)
 *   zip(files)     -> Uint8Array            stored ZIP, UTF-8 names, fixed dates
 *   crc32(bytes)   -> number
 *
 * Formats are told by their first bytes, never by the file name. Every loop
 * advances through the file, so the work is bounded by the file's length, and
 * a length field that points past the end is refused. The server checks the
 * result again (generator/records/photofile.py): this is a convenience for
 * editors, not the only defence.
 */
(function () {
  "use strict";

  var MAX_BYTES = 25 * 1024 * 1024; // GitHub's limit for a file uploaded through its web page
  // photofile.py refuses more; libjpeg decodes every scan over the whole picture, cameras write 1 to ~12.
  var MAX_SCANS = 100;
  var ORIENTATION = 0x0112;
  var GPS_IFD = 0x8825;

  var ACCEPTED = "Chỉ nhận ảnh JPEG, PNG hoặc WebP.";
  var REEXPORT = "hãy mở ảnh trên máy rồi lưu (xuất) lại thành JPEG, hoặc chọn lại tệp gốc";
  var IPHONE =
    "Trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất; " +
    "hoặc chụp màn hình/chia sẻ ảnh dưới dạng JPEG.";

  var NAMES = { jpeg: "JPEG", png: "PNG", webp: "WebP" };
  var EXTS = { jpeg: "jpg", png: "png", webp: "webp" };

  // What `removed` says; the composer shows these to editors.
  var GONE = {
    exif: "EXIF",
    exifGps: "EXIF (có toạ độ GPS)",
    xmp: "XMP",
    iptc: "IPTC",
    comment: "chú thích",
    thumbnail: "ảnh thu nhỏ",
    mpf: "ảnh phụ (MPF)",
    trailer: "dữ liệu sau ảnh",
    junk: "dữ liệu thừa giữa các khối",
    time: "thời điểm sửa ảnh",
  };

  function incomplete(format) {
    return new Error(
      "Tệp " + NAMES[format] + " chưa đầy đủ (bị cắt cụt: có thể tải xuống hoặc sao chép chưa xong); " + REEXPORT + "."
    );
  }

  function broken(format, what) {
    return new Error("Cấu trúc tệp " + NAMES[format] + " bị hỏng (" + what + "); " + REEXPORT + ".");
  }

  function asBytes(data) {
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    throw new TypeError("Cần dữ liệu dạng Uint8Array hoặc ArrayBuffer.");
  }

  function ascii(d, at, text) {
    if (at + text.length > d.length) return false;
    for (var k = 0; k < text.length; k++) if (d[at + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  function u16be(d, at) { return (d[at] << 8) | d[at + 1]; }
  function u32be(d, at) { return ((d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3]) >>> 0; }
  function u32le(d, at) { return (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0; }

  // A chunk name fit to show an editor: a hostile file may put any bytes there.
  function printable(name) { return name.trim().replace(/[^\x21-\x7e]/g, "?"); }

  // An ordered set of removal labels, each named once however many blocks it covers.
  function Labels() { this.list = []; }
  Labels.prototype.add = function (label) { if (this.list.indexOf(label) < 0) this.list.push(label); };

  function concat(parts) {
    var size = 0, k;
    for (k = 0; k < parts.length; k++) size += parts[k].length;
    var out = new Uint8Array(size), at = 0;
    for (k = 0; k < parts.length; k++) { out.set(parts[k], at); at += parts[k].length; }
    return out;
  }

  // --- Recognising the file ------------------------------------------------------------

  // HEIF brands (HEIC, HEIF image, sequence) and AVIF, as the major or a compatible brand.
  var HEIF_BRANDS = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"];

  function heifName(d) {
    if (d.length < 12 || !ascii(d, 4, "ftyp")) return null;
    // The major brand, then the compatible brands after the minor version; a real box is tiny.
    var size = u32be(d, 0), heic = false, avif = false;
    var end = Math.min(d.length, size > 1 ? size : 256, 256); // 0: "to the end of the file", 1: a 64-bit size
    for (var at = 8; at + 4 <= end; at += at === 8 ? 8 : 4) {
      for (var k = 0; k < HEIF_BRANDS.length; k++) {
        if (ascii(d, at, HEIF_BRANDS[k])) {
          if (HEIF_BRANDS[k].slice(0, 2) === "av") avif = true;
          else heic = true;
        }
      }
    }
    return avif ? "AVIF" : heic ? "HEIC/HEIF" : null; // AVIF files list the generic mif1 too
  }

  function otherName(d) {
    var known = [["GIF8", "GIF"], ["BM", "BMP"], ["II*\0", "TIFF"], ["MM\0*", "TIFF"], ["%PDF", "PDF"],
      ["<svg", "SVG"], ["<?xml", "SVG/XML"]];
    for (var k = 0; k < known.length; k++) if (ascii(d, 0, known[k][0])) return known[k][1];
    return null;
  }

  function sniff(d) {
    if (d.length >= 3 && d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff) return "jpeg";
    if (ascii(d, 0, "\x89PNG\r\n\x1a\n")) return "png";
    if (ascii(d, 0, "RIFF") && ascii(d, 8, "WEBP")) return "webp";
    return null;
  }

  function refusal(d) {
    if (d.length === 0) return new Error("Tệp rỗng (0 byte): ảnh chưa đầy đủ, có thể tải xuống hoặc sao chép chưa xong; hãy chọn lại ảnh.");
    var type = sniff(d);
    if (!type) {
      var heif = heifName(d);
      if (heif) {
        return new Error(
          "Ảnh này ở định dạng " + heif +
          " (định dạng ảnh của iPhone và một số điện thoại đời mới), trang này không đọc được. " + ACCEPTED +
          " Để có ảnh JPEG: " + IPHONE
        );
      }
      var other = otherName(d);
      return new Error((other ? "Tệp này ở định dạng " + other + ", trang này không nhận. " : "Tệp này không phải ảnh JPEG, PNG hay WebP (đổi đuôi tệp không đổi được định dạng). ") + ACCEPTED);
    }
    if (d.length > MAX_BYTES) {
      // Rounded up, so a file just over the limit never reads "25,0 MB".
      var mb = (Math.ceil((d.length / 1048576) * 10) / 10).toFixed(1).replace(".", ",");
      return new Error(
        "Ảnh nặng " + mb + " MB, vượt giới hạn " + MAX_BYTES / 1048576 + " MB của GitHub khi tải tệp lên qua trang web; " +
        "hãy giảm kích thước ảnh (ví dụ xuất lại với cạnh dài 4000 điểm ảnh)."
      );
    }
    return null;
  }

  // --- EXIF: the orientation, nothing else ---------------------------------------------

  /* IFD0 of the TIFF structure at `t` (ending at `end`): its orientation (0 when absent or not
   * 1-8) and whether it points to a GPS directory. A broken structure reads as "nothing",
   * which is safe: the block is dropped either way, only the orientation would be lost. */
  function readTiff(d, t, end) {
    var info = { orientation: 0, gps: false };
    if (t + 8 > end) return info;
    var le = d[t] === 0x49 && d[t + 1] === 0x49;
    if (!le && !(d[t] === 0x4d && d[t + 1] === 0x4d)) return info;
    var u16 = function (at) { return le ? d[at] | (d[at + 1] << 8) : u16be(d, at); };
    var u32 = function (at) { return le ? u32le(d, at) : u32be(d, at); };
    if (u16(t + 2) !== 42) return info;
    var ifd = t + u32(t + 4);
    if (ifd < t + 8 || ifd + 2 > end) return info;
    var count = u16(ifd);
    for (var k = 0, e = ifd + 2; k < count && e + 12 <= end; k++, e += 12) {
      var tag = u16(e), type = u16(e + 2);
      if (tag === ORIENTATION && u32(e + 4) >= 1 && !info.orientation) {
        var value = type === 3 ? u16(e + 8) : type === 4 ? u32(e + 8) : 0; // SHORT as the standard says; LONG from lax writers
        info.orientation = value >= 1 && value <= 8 ? value : 0;
      } else if (tag === GPS_IFD && u32(e + 8) !== 0) {
        info.gps = true;
      }
    }
    return info;
  }

  // A TIFF structure with IFD0 holding one entry, Orientation (SHORT, count 1), and no next IFD.
  function minimalTiff(orientation) {
    return Uint8Array.of(0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0);
  }

  // Orientation 1 is the default: no EXIF at all is then the smallest truthful file.
  function rotated(orientation) { return orientation >= 2 && orientation <= 8; }

  function exifLabel(info) { return info.gps ? GONE.exifGps : GONE.exif; }

  // --- JPEG ----------------------------------------------------------------------------

  function isSof(m) { return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc; }
  // DHT, DAC (arithmetic conditioning), DQT, DNL, DRI, DHP, EXP: tables and frame data a decoder reads.
  function isTable(m) { return m === 0xc4 || m === 0xcc || (m >= 0xdb && m <= 0xdf); }

  /* Where the entropy-coded data that starts at `j` ends: the 0xFF of the next marker that is
   * not a stuffed 0xFF00 or a restart marker RSTn (fill bytes 0xFF may precede either), or -1
   * when the file ends first. indexOf jumps from one 0xFF to the next: the loop runs once per
   * 0xFF byte of the data at most. */
  function scanEnd(d, j) {
    var n = d.length;
    for (;;) {
      j = d.indexOf(0xff, j);
      if (j < 0) return -1;
      var k = j + 1;
      while (k < n && d[k] === 0xff) k++;
      if (k >= n) return -1;
      if (d[k] !== 0 && (d[k] < 0xd0 || d[k] > 0xd7)) return j;
      j = k + 1;
    }
  }

  function walkJpeg(d) {
    var n = d.length, parts = [], removed = new Labels();
    var orientation = 0, exifRead = false, frame = false, scans = 0;
    if (n < 4 || d[0] !== 0xff || d[1] !== 0xd8) throw incomplete("jpeg");
    var i = 2;
    for (;;) {
      if (i >= n) throw incomplete("jpeg"); // no end-of-image marker
      if (d[i] !== 0xff) {
        // Bytes between segments: decoders skip them to the next marker, so may we (they are not copied).
        var next = d.indexOf(0xff, i);
        if (next < 0) throw incomplete("jpeg");
        removed.add(GONE.junk);
        i = next;
        continue;
      }
      var m = i + 1;
      while (m < n && d[m] === 0xff) m++; // fill bytes before a marker
      if (m >= n) throw incomplete("jpeg");
      var marker = d[m];
      if (marker === 0xd9) {
        if (!frame || !scans) throw incomplete("jpeg");
        parts.push(d.subarray(m - 1, m + 1));
        // A second picture (MPO, "motion photo" video, anything appended) can hold its own EXIF with GPS.
        if (m + 1 < n) removed.add(GONE.trailer);
        break;
      }
      if (marker === 0xd8 || marker === 0x00) throw broken("jpeg", "dấu đoạn không hợp lệ");
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i = m + 1; continue; } // stray standalone markers
      if (m + 3 > n) throw incomplete("jpeg");
      var end = m + 1 + u16be(d, m + 1), body = m + 3;
      if (end < body) throw broken("jpeg", "độ dài đoạn sai");
      if (end > n) throw incomplete("jpeg"); // a segment running past the end of the file
      var segment = d.subarray(m - 1, end);
      if (marker === 0xda) {
        if (!frame) throw broken("jpeg", "thiếu khung ảnh trước dữ liệu ảnh");
        if (++scans > MAX_SCANS) {
          throw new Error("Ảnh JPEG có hơn " + MAX_SCANS + " lượt quét (scan), không phải ảnh chụp bình thường; " + REEXPORT + ".");
        }
        var stop = scanEnd(d, end);
        if (stop < 0) throw incomplete("jpeg");
        parts.push(d.subarray(m - 1, stop)); // the scan header and its compressed pixels, untouched
        i = stop;
        continue;
      }
      if (isSof(marker)) {
        if (frame) throw broken("jpeg", "có hai khung ảnh");
        frame = true;
        parts.push(segment);
      } else if (isTable(marker)) {
        parts.push(segment);
      } else if (marker === 0xee && ascii(d, body, "Adobe") && end - body >= 12) {
        // APP14 Adobe: its transform flag says whether 3 or 4 channels are YCC, RGB or CMYK, and
        // decoders need it. Its 12 bytes are rewritten alone, so nothing rides along after them.
        var adobe = new Uint8Array(16);
        adobe.set([0xff, 0xee, 0, 14]);
        adobe.set(d.subarray(body, body + 12), 4);
        parts.push(adobe);
      } else if (marker === 0xe2 && ascii(d, body, "ICC_PROFILE\0")) {
        // A colour profile describes a colour space (sRGB, Display P3), not a person or a place;
        // without it a wide-gamut photo shows dull. Kept as it is, in its possibly many pieces.
        parts.push(segment);
      } else if (marker === 0xe1 && ascii(d, body, "Exif\0")) {
        var info = readTiff(d, body + 6, end);
        // Readers take the first EXIF block before the pixels; later ones are ignored, as by them.
        if (!exifRead && !scans) { exifRead = true; orientation = info.orientation; }
        removed.add(exifLabel(info));
      } else if (marker === 0xe1 && (ascii(d, body, "http://ns.adobe.com/xap/1.0/") || ascii(d, body, "http://ns.adobe.com/xmp/extension/"))) {
        removed.add(GONE.xmp);
      } else if (marker === 0xed) {
        removed.add(GONE.iptc); // Photoshop resources: IPTC captions, names, places, sometimes a thumbnail
      } else if (marker === 0xfe) {
        removed.add(GONE.comment);
      } else if (marker === 0xe0) {
        // JFIF says only "YCbCr" and a pixel density, which decoders assume anyway; its
        // extension (JFXX) and a non-zero thumbnail size carry a picture, so say so then.
        if (ascii(d, body, "JFXX") || (ascii(d, body, "JFIF\0") && end - body >= 14 && d[body + 12] * d[body + 13] > 0)) {
          removed.add(GONE.thumbnail);
        } else if (!ascii(d, body, "JFIF\0")) {
          removed.add("APP0");
        }
      } else if (marker === 0xe2 && ascii(d, body, "MPF\0")) {
        removed.add(GONE.mpf);
      } else {
        // Any other APPn (FlashPix, Ducky, C2PA/JUMBF in APP11, vendors' own) or a marker no decoder
        // uses: dropped. Named by its marker so an editor asking what went can be told.
        removed.add(marker >= 0xe0 && marker <= 0xef ? "APP" + (marker - 0xe0) : "0xFF" + marker.toString(16).toUpperCase());
      }
      i = end;
    }
    return { parts: parts, orientation: orientation, removed: removed.list };
  }

  function cleanJpeg(d) {
    var walked = walkJpeg(d);
    var parts = [d.subarray(0, 2)];
    if (rotated(walked.orientation)) {
      var tiff = minimalTiff(walked.orientation);
      var app1 = new Uint8Array(4 + 6 + tiff.length);
      app1.set([0xff, 0xe1, 0, 2 + 6 + tiff.length, 0x45, 0x78, 0x69, 0x66, 0, 0]); // "Exif\0\0"
      app1.set(tiff, 10);
      parts.push(app1);
    }
    return { bytes: concat(parts.concat(walked.parts)), orientation: walked.orientation || 1, removed: walked.removed };
  }

  // --- PNG -----------------------------------------------------------------------------

  // Pixels, palette, transparency, colour and pixel size, and APNG's frames; nothing with text.
  // The iCCP chunk's profile name is a label for a colour space, kept with the profile (see JPEG).
  var PNG_KEEP = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs",
    "acTL", "fcTL", "fdAT"];
  // HDR colour signalling (PNG third edition): fixed-size numbers, kept only at their exact size.
  var PNG_NUMBERS = { cICP: 4, mDCv: 24, cLLi: 8 };

  function pngChunk(type, data) {
    var out = new Uint8Array(12 + data.length);
    out.set([data.length >>> 24, (data.length >>> 16) & 255, (data.length >>> 8) & 255, data.length & 255]);
    for (var k = 0; k < 4; k++) out[4 + k] = type.charCodeAt(k);
    out.set(data, 8);
    var crc = crc32(out.subarray(4, 8 + data.length));
    out.set([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255], 8 + data.length);
    return out;
  }

  function walkPng(d) {
    var n = d.length, parts = [d.subarray(0, 8)], removed = new Labels();
    var orientation = 0, exifRead = false, firstIdat = -1, i = 8;
    for (var count = 0; ; count++) {
      if (i + 12 > n) throw incomplete("png"); // no IEND
      var length = u32be(d, i), type = String.fromCharCode(d[i + 4], d[i + 5], d[i + 6], d[i + 7]);
      if (length > 0x7fffffff) throw broken("png", "độ dài khối sai");
      var end = i + 12 + length;
      if (end > n) throw incomplete("png");
      if (count === 0 && type !== "IHDR") throw broken("png", "thiếu khối IHDR");
      if (PNG_KEEP.indexOf(type) >= 0 || PNG_NUMBERS[type] === length) {
        if (type === "IDAT" && firstIdat < 0) firstIdat = parts.length;
        parts.push(d.subarray(i, end));
      } else if (type === "eXIf") {
        var at = ascii(d, i + 8, "Exif\0\0") ? i + 14 : i + 8; // a prefix some writers add
        var info = readTiff(d, at, i + 8 + length);
        if (!exifRead && firstIdat < 0) { exifRead = true; orientation = info.orientation; }
        removed.add(exifLabel(info));
      } else if (type === "tEXt" || type === "zTXt" || type === "iTXt") {
        // Keywords say what the text is: XMP, ImageMagick's hex copies of EXIF or IPTC, or captions.
        var keyword = String.fromCharCode.apply(null, d.subarray(i + 8, Math.min(i + 8 + length, i + 8 + 80)));
        keyword = keyword.split("\0")[0];
        removed.add(keyword === "XML:com.adobe.xmp" ? GONE.xmp : /^Raw profile type (exif|APP1)/i.test(keyword) ? GONE.exif
          : /^Raw profile type (iptc|8bim)/i.test(keyword) ? GONE.iptc : GONE.comment);
      } else if (type === "tIME") {
        removed.add(GONE.time);
      } else {
        removed.add("khối " + printable(type)); // e.g. caBX (C2PA), vpAg, or anything a program invented
      }
      i = end;
      if (type === "IEND") break;
    }
    if (firstIdat < 0) throw broken("png", "không có dữ liệu ảnh");
    if (i < n) removed.add(GONE.trailer);
    return { parts: parts, orientation: orientation, removed: removed.list, firstIdat: firstIdat };
  }

  function cleanPng(d) {
    var walked = walkPng(d), parts = walked.parts;
    if (rotated(walked.orientation)) {
      // eXIf must come before the image data (PNG third edition) for readers to apply it.
      parts.splice(walked.firstIdat, 0, pngChunk("eXIf", minimalTiff(walked.orientation)));
    }
    return { bytes: concat(parts), orientation: walked.orientation || 1, removed: walked.removed };
  }

  // --- WebP ----------------------------------------------------------------------------

  var WEBP_KEEP = ["VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L"];
  var FRAME_KEEP = ["ALPH", "VP8 ", "VP8L"]; // what an animation frame may hold after its 16-byte header
  var VP8X_EXIF = 0x08, VP8X_XMP = 0x04;

  function riffChunk(fourcc, data) {
    var out = new Uint8Array(8 + data.length + (data.length & 1)); // odd sizes get a zero pad byte
    for (var k = 0; k < 4; k++) out[k] = fourcc.charCodeAt(k);
    out.set([data.length & 255, (data.length >>> 8) & 255, (data.length >>> 16) & 255, data.length >>> 24], 4);
    out.set(data, 8);
    return out;
  }

  /* The chunks in d[from, to): [{fourcc, data}], `data` without padding. A chunk running past
   * `to` means the file was cut (the RIFF size was checked against the file before). */
  function riffChunks(d, from, to) {
    var chunks = [];
    for (var i = from; i < to; ) {
      if (i + 8 > to) throw incomplete("webp");
      var size = u32le(d, i + 4), body = i + 8;
      if (size > to - body) throw incomplete("webp");
      chunks.push({ fourcc: String.fromCharCode(d[i], d[i + 1], d[i + 2], d[i + 3]), data: d.subarray(body, body + size) });
      // The pad byte of an odd-sized last chunk is sometimes missing: it is written back anyway.
      i = body + size + (size & 1);
    }
    return chunks;
  }

  function walkWebp(d) {
    var n = d.length, removed = new Labels(), orientation = 0, exifRead = false;
    if (n < 20) throw incomplete("webp");
    var riffEnd = 8 + u32le(d, 4);
    if (riffEnd > n) throw incomplete("webp");
    if (riffEnd < n) removed.add(GONE.trailer);
    var chunks = riffChunks(d, 12, riffEnd), out = [];
    if (!chunks.length) throw incomplete("webp");
    var first = chunks[0].fourcc;
    if (first === "VP8 " || first === "VP8L") {
      // A simple file is its one image chunk; readers ignore anything after it, and so do we.
      if (chunks.length > 1) removed.add(GONE.trailer);
      return { chunks: [chunks[0]], orientation: 0, removed: removed.list, extended: false };
    }
    if (first !== "VP8X" || chunks[0].data.length < 10) throw broken("webp", "thiếu khối ảnh");
    var image = false;
    for (var k = 0; k < chunks.length; k++) {
      var c = chunks[k];
      if (c.fourcc === "ANMF") {
        out.push({ fourcc: "ANMF", data: cleanFrame(c.data, removed) });
        image = true;
      } else if (WEBP_KEEP.indexOf(c.fourcc) >= 0 && (k === 0 || c.fourcc !== "VP8X")) {
        out.push(c);
        image = image || c.fourcc === "VP8 " || c.fourcc === "VP8L";
      } else if (c.fourcc === "EXIF") {
        var at = ascii(c.data, 0, "Exif\0\0") ? 6 : 0; // a prefix some writers add
        var info = readTiff(c.data, at, c.data.length);
        if (!exifRead) { exifRead = true; orientation = info.orientation; }
        removed.add(exifLabel(info));
      } else if (c.fourcc === "XMP ") {
        removed.add(GONE.xmp);
      } else {
        removed.add("khối " + printable(c.fourcc));
      }
    }
    if (!image) throw broken("webp", "không có dữ liệu ảnh");
    return { chunks: out, orientation: orientation, removed: removed.list, extended: true };
  }

  // An ANMF frame: its header (position, size, duration, flags), then only image chunks.
  function cleanFrame(data, removed) {
    if (data.length < 16) throw broken("webp", "khung hình hoạt ảnh sai");
    var parts = [data.subarray(0, 16)];
    riffChunks(data, 16, data.length).forEach(function (c) {
      if (FRAME_KEEP.indexOf(c.fourcc) >= 0) parts.push(riffChunk(c.fourcc, c.data));
      else removed.add("khối " + printable(c.fourcc));
    });
    return concat(parts);
  }

  function cleanWebp(d) {
    var walked = walkWebp(d), parts = [], k;
    var exif = walked.extended && rotated(walked.orientation);
    for (k = 0; k < walked.chunks.length; k++) {
      var c = walked.chunks[k], data = c.data;
      if (c.fourcc === "VP8X" && k === 0) {
        data = data.slice(); // a copy: the input stays as it was
        data[0] = (data[0] & ~(VP8X_EXIF | VP8X_XMP)) | (exif ? VP8X_EXIF : 0);
      }
      parts.push(riffChunk(c.fourcc, data));
    }
    // The container's order: metadata chunks after the image data.
    if (exif) parts.push(riffChunk("EXIF", minimalTiff(walked.orientation)));
    var body = concat(parts), size = body.length + 4;
    var head = Uint8Array.of(0x52, 0x49, 0x46, 0x46, size & 255, (size >>> 8) & 255, (size >>> 16) & 255, size >>> 24,
      0x57, 0x45, 0x42, 0x50); // "RIFF" size "WEBP"
    // A simple (VP8/VP8L) file has no VP8X to flag EXIF with: its orientation cannot be stored and
    // was never read (a simple file carries no EXIF chunk), so 1 is the truth for it.
    return { bytes: concat([head, body]), orientation: exif ? walked.orientation : 1, removed: walked.removed };
  }

  // --- The API -------------------------------------------------------------------------

  var WALK = { jpeg: walkJpeg, png: walkPng, webp: walkWebp };
  var CLEAN = { jpeg: cleanJpeg, png: cleanPng, webp: cleanWebp };

  function inspect(data) {
    var d = asBytes(data), type = sniff(d);
    var result = { type: type, ext: type ? EXTS[type] : null, error: null };
    var refused = refusal(d);
    if (!refused) {
      try {
        WALK[type](d); // the whole structure, so a cut file is told now rather than at export
      } catch (e) {
        refused = e;
      }
    }
    if (refused) result.error = refused.message;
    return result;
  }

  function clean(data) {
    var d = asBytes(data), refused = refusal(d);
    if (refused) throw refused;
    var result = CLEAN[sniff(d)](d);
    // Orientation 1 for "none or upright", so callers can map it to a rotation directly.
    return { bytes: result.bytes, orientation: result.orientation, removed: result.removed };
  }

  // --- CRC-32 and ZIP ------------------------------------------------------------------

  var CRC_TABLE = (function () {
    var table = new Int32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
    return table;
  })();

  // CRC-32 as ZIP and PNG use it (IEEE 802.3, reflected, initial and final XOR 0xFFFFFFFF).
  function crc32(data) {
    var d = asBytes(data), c = -1;
    for (var i = 0; i < d.length; i++) c = CRC_TABLE[(c ^ d[i]) & 255] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  }

  var DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1; // years since 1980, month, day; the time is 00:00:00
  var UTF8_NAMES = 0x0800; // general-purpose flag bit 11: names are UTF-8, not the DOS code page
  var VERSION = 20; // 2.0: folders in names
  var MADE_BY_UNIX = (3 << 8) | VERSION; // so unzip reads the permissions below
  var REGULAR_FILE = 0x81a4 * 65536; // mode 0100644 in the high half of the external attributes

  function zipName(name, seen) {
    if (typeof name !== "string" || !name || name.length > 4096) throw new Error("Tên tệp trong gói ZIP không hợp lệ.");
    // An archive path must stay inside the folder it is unpacked into.
    var bits = name.split("/");
    if (name[0] === "/" || name.indexOf("\\") >= 0 || /[\0-\x1f]/.test(name) ||
        bits.some(function (b) { return b === "" || b === "." || b === ".."; })) {
      throw new Error("Tên tệp trong gói ZIP không hợp lệ: " + JSON.stringify(name));
    }
    if (seen[name]) throw new Error("Gói ZIP có hai tệp cùng tên: " + name);
    seen[name] = true;
    var bytes = new TextEncoder().encode(name);
    if (bytes.length > 0xffff) throw new Error("Tên tệp trong gói ZIP quá dài.");
    return bytes;
  }

  /* A ZIP of `files` ({name, bytes}; bytes may also be a string, written as UTF-8), stored
   * without compression: photos are compressed already, and the writer stays small. Fixed
   * dates and attributes: the same files give the same bytes. No ZIP64: a record folder is
   * far below 4 GiB and 65,535 files, and larger input is refused. */
  function zip(files) {
    if (!Array.isArray(files)) throw new TypeError("zip() cần một danh sách tệp {name, bytes}.");
    if (files.length > 0xffff) throw new Error("Gói ZIP có quá nhiều tệp.");
    var seen = Object.create(null), locals = [], centrals = [], offset = 0, k;
    for (k = 0; k < files.length; k++) {
      var name = zipName(files[k].name, seen), content = files[k].bytes;
      var data = typeof content === "string" ? new TextEncoder().encode(content) : asBytes(content);
      var crc = crc32(data);
      var local = new Uint8Array(30 + name.length), lv = new DataView(local.buffer);
      lv.setUint32(0, 0x04034b50, true);
      lv.setUint16(4, VERSION, true);
      lv.setUint16(6, UTF8_NAMES, true);
      lv.setUint16(8, 0, true); // stored
      lv.setUint16(10, 0, true);
      lv.setUint16(12, DOS_DATE_1980_01_01, true);
      lv.setUint32(14, crc, true);
      lv.setUint32(18, data.length, true);
      lv.setUint32(22, data.length, true);
      lv.setUint16(26, name.length, true);
      lv.setUint16(28, 0, true);
      local.set(name, 30);
      var central = new Uint8Array(46 + name.length), cv = new DataView(central.buffer);
      cv.setUint32(0, 0x02014b50, true);
      cv.setUint16(4, MADE_BY_UNIX, true);
      cv.setUint16(6, VERSION, true);
      cv.setUint16(8, UTF8_NAMES, true);
      cv.setUint16(10, 0, true);
      cv.setUint16(12, 0, true);
      cv.setUint16(14, DOS_DATE_1980_01_01, true);
      cv.setUint32(16, crc, true);
      cv.setUint32(20, data.length, true);
      cv.setUint32(24, data.length, true);
      cv.setUint16(28, name.length, true);
      // extra and comment lengths, disk number, internal attributes: 0
      cv.setUint32(38, REGULAR_FILE, true);
      cv.setUint32(42, offset, true);
      central.set(name, 46);
      locals.push(local, data);
      centrals.push(central);
      offset += local.length + data.length;
      if (offset > 0xffffffff) throw new Error("Gói ZIP quá lớn (hơn 4 GB).");
    }
    var directory = concat(centrals);
    if (offset + directory.length > 0xffffffff) throw new Error("Gói ZIP quá lớn (hơn 4 GB).");
    var eocd = new Uint8Array(22), ev = new DataView(eocd.buffer);
    ev.setUint32(0, 0x06054b50, true);
    ev.setUint16(8, files.length, true);
    ev.setUint16(10, files.length, true);
    ev.setUint32(12, directory.length, true);
    ev.setUint32(16, offset, true);
    return concat(locals.concat([directory, eocd]));
  }

  window.SovangFiles = Object.freeze({ inspect: inspect, clean: clean, zip: zip, crc32: crc32 });
})();
