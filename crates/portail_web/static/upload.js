// Progressive enhancement of upload forms: the same multipart POST, sent with XMLHttpRequest to
// show a progress bar. Without JavaScript the form posts normally.
(function () {
  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var bar = form.querySelector('progress');
      if (!bar || !window.FormData) { return; }
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      bar.hidden = false;
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
      });
      xhr.addEventListener('load', function () {
        // The server answers with the page to show (a redirect followed by the browser).
        if (xhr.responseURL) { window.location.assign(xhr.responseURL); }
        else { document.open(); document.write(xhr.responseText); document.close(); }
      });
      xhr.addEventListener('error', function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  });
})();
