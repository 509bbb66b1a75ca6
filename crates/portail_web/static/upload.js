// Progressive enhancement of upload forms (form[data-upload]): the file is sent with
// XMLHttpRequest to show a progress bar, in chunks of 2 MiB (udata's chunked protocol: uuid,
// partindex, partbyteoffset, totalparts, chunksize), each retried up to 3 times, then a final
// call without a file that assembles them. A file of one chunk or less is sent whole. The
// server answers the last call with the page to show. Without JavaScript the form posts normally.
(function () {
  var DEFAULT_CHUNK = 2 * 1024 * 1024;
  var RETRIES = 3;

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var hex = '';
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    for (var i = 0; i < 16; i++) {
      hex += (bytes[i] + 0x100).toString(16).slice(1);
      if (i === 3 || i === 5 || i === 7 || i === 9) { hex += '-'; }
    }
    return hex;
  }

  // The form's fields, csrf_token first (the server reads it before anything else), the chunk
  // fields before the file part, the file last.
  function fields(form, extra, file) {
    var data = new FormData();
    var token = form.querySelector('input[name="csrf_token"]');
    if (token) { data.append('csrf_token', token.value); }
    Object.keys(extra).forEach(function (k) { data.append(k, extra[k]); });
    if (file) { data.append('file', file.blob, file.name); }
    return data;
  }

  function post(form, data, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable && onProgress) { onProgress(e.loaded); }
      });
      xhr.addEventListener('load', function () { resolve(xhr); });
      xhr.addEventListener('error', function () { reject(new Error('network')); });
      xhr.send(data);
    });
  }

  // Shows what the server answered to the last call: the page it redirected to, or the page
  // it rendered (an error message in the form, nothing typed lost).
  function show(form, xhr) {
    if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) {
      window.location.assign(xhr.responseURL);
    } else {
      document.open(); document.write(xhr.responseText); document.close();
    }
  }

  function describe(form) {
    var out = {};
    ['title', 'description', 'type'].forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (input && input.value) { out[name] = input.value; }
    });
    return out;
  }

  function sendChunks(form, file, size, bar, status) {
    var total = Math.ceil(file.size / size);
    var id = uuid();
    var sent = 0;
    function part(index, attempt) {
      var offset = index * size;
      var blob = file.slice(offset, Math.min(offset + size, file.size));
      var data = fields(form, {
        uuid: id, filename: file.name, partindex: index, partbyteoffset: offset,
        totalparts: total, chunksize: blob.size, totalfilesize: file.size
      }, { blob: blob, name: file.name });
      return post(form, data, function (loaded) {
        bar.value = Math.round(((sent + loaded) / file.size) * 100);
      }).then(function (xhr) {
        if (xhr.status === 200) {
          sent += blob.size;
          return index + 1 < total ? part(index + 1, 0) : null;
        }
        if (xhr.status >= 500 && attempt < RETRIES) { return part(index, attempt + 1); }
        var message = 'HTTP ' + xhr.status;
        try { message = JSON.parse(xhr.responseText).error || message; } catch (e) { /* HTML */ }
        if (xhr.getResponseHeader('Content-Type') && xhr.getResponseHeader('Content-Type').indexOf('text/html') === 0) {
          show(form, xhr);
          return 'shown';
        }
        throw new Error(message);
      }, function (err) {
        if (attempt < RETRIES) { return part(index, attempt + 1); }
        throw err;
      });
    }
    return part(0, 0).then(function (shown) {
      if (shown === 'shown') { return; }
      status.textContent = status.getAttribute('data-finishing') || '';
      var extra = describe(form);
      extra.uuid = id; extra.filename = file.name; extra.totalparts = total;
      extra.totalfilesize = file.size;
      return post(form, fields(form, extra, null)).then(function (xhr) { show(form, xhr); });
    });
  }

  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var bar = form.querySelector('progress');
      var input = form.querySelector('input[type="file"]');
      if (!bar || !window.FormData || !window.Promise || !input || !input.files.length) { return; }
      event.preventDefault();
      var file = input.files[0];
      var size = parseInt(form.getAttribute('data-chunk-size'), 10) || DEFAULT_CHUNK;
      var status = form.querySelector('[data-upload-status]') || document.createElement('p');
      bar.hidden = false;
      bar.value = 0;
      var button = form.querySelector('button[type="submit"]');
      if (button) { button.disabled = true; }
      var done;
      if (file.size <= size) {
        done = post(form, new FormData(form), function (loaded) {
          bar.value = Math.round((loaded / Math.max(file.size, 1)) * 100);
        }).then(function (xhr) { show(form, xhr); });
      } else {
        done = sendChunks(form, file, size, bar, status);
      }
      done.catch(function (err) {
        if (button) { button.disabled = false; }
        bar.hidden = true;
        status.setAttribute('role', 'alert');
        status.className = 'notice error';
        status.textContent = (status.getAttribute('data-failed') || 'Upload failed') + ' : ' + err.message;
      });
    });
  });
})();
