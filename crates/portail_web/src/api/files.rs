//! Uploads (`POST /api/1/datasets/{dataset}/upload/`, and `.../resources/{rid}/upload/` to
//! replace a file), with udata's chunked protocol, and downloads of hosted files
//! (`GET|HEAD /files/{key}`) with ranges and validators. The community resource uploads
//! (`api/community.rs`) go through the same [`receive`], with their own placement.
//!
//! Bodies are streamed to storage as they arrive: memory stays flat whatever the file size.

use std::collections::HashMap;

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use portail_app::AppError;
use portail_app::files::{self, ChunkMeta, Placement, StoredFile, Target, UploadFields};
use portail_core::model::Resource;
use portail_storage::Written;
use serde_json::{Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::extract::{Auth, BaseUrl, MaybeAuth};
use crate::state::AppState;
use crate::views::ApiResource;

/// Text fields are small; anything larger is refused.
const MAX_TEXT_FIELD: usize = 64 * 1024;
/// All the text fields of one upload together (the body has no size limit: a file streams).
const MAX_TEXT_TOTAL: usize = 256 * 1024;

/// Fields of udata's chunked protocol, as sent by fine-uploader-style clients.
#[derive(Debug, Default)]
struct ChunkFields {
    uuid: Option<String>,
    partindex: Option<u64>,
    partbyteoffset: Option<u64>,
    totalparts: Option<u64>,
    chunksize: Option<u64>,
}

impl ChunkFields {
    /// What decides where a file part is stored: as a whole file (`None`), or as a chunk of
    /// which upload and which part.
    fn placement(&self) -> Option<(Option<&str>, Option<u64>)> {
        self.totalparts
            .is_some_and(|t| t > 1)
            .then_some((self.uuid.as_deref(), self.partindex))
    }
}

/// What a multipart upload body held.
struct UploadForm {
    text: HashMap<String, String>,
    /// The stored `file` part: its key, file name and what was written.
    file: Option<(String, String, Written)>,
    /// The chunk fields as they were when the `file` part came: they decided where and how it
    /// was stored (as a chunk, or as a whole file with its extension checked).
    chunks_at_file: Option<ChunkFields>,
}

impl UploadForm {
    fn number(&self, key: &str) -> ApiResult<Option<u64>> {
        match self
            .text
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            None => Ok(None),
            Some(v) => v.parse::<u64>().map(Some).map_err(|_| {
                ApiError::field(
                    key,
                    format!("Expected a non-negative integer, got \"{v}\"."),
                )
            }),
        }
    }

    fn chunk_fields(&self) -> ApiResult<ChunkFields> {
        Ok(ChunkFields {
            uuid: self
                .text
                .get("uuid")
                .or_else(|| self.text.get("qquuid"))
                .cloned(),
            partindex: self.number("partindex")?,
            partbyteoffset: self.number("partbyteoffset")?,
            totalparts: self.number("totalparts")?,
            chunksize: self.number("chunksize")?,
        })
    }

    fn fields(&self) -> UploadFields {
        UploadFields {
            title: self.text.get("title").cloned(),
            description: self.text.get("description").cloned(),
            kind: self.text.get("type").cloned(),
            organization: self.text.get("organization").cloned(),
        }
    }
}

/// A body that is not `multipart/form-data` at all: udata's `{"message"}` 400, not axum's
/// plain-text rejection.
pub(crate) fn not_multipart(e: MultipartRejection) -> ApiError {
    ApiError::bad_request(format!(
        "Expected a multipart/form-data body with a \"file\" part: {}",
        e.body_text()
    ))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError(AppError::PayloadTooLarge(e.body_text()))
    } else {
        ApiError::bad_request(format!("Invalid multipart body: {}", e.body_text()))
    }
}

/// Streams one `file` part into storage at `key`, enforcing the size limit and refusing HTML
/// early. On any failure nothing is left visible.
async fn stream_field(
    state: &AppState,
    field: &mut Field<'_>,
    key: &str,
    filename: &str,
    check_html: bool,
) -> ApiResult<Written> {
    let storage = state.app.storage()?;
    let mut writer = storage.writer(key).await.map_err(AppError::from)?;
    let mut html_checked = !check_html;
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                let _ = writer.abort().await;
                return Err(multipart_error(e));
            }
        };
        let too_large = files::check_size(&state.app, writer.size() + chunk.len() as u64);
        if let Err(e) = too_large {
            let _ = writer.abort().await;
            return Err(e.into());
        }
        if let Err(e) = writer.write(chunk).await {
            let _ = writer.abort().await;
            return Err(ApiError(e.into()));
        }
        if !html_checked && writer.head().len() >= 1024 {
            html_checked = true;
            if let Err(e) = files::check_content(filename, writer.head()) {
                let _ = writer.abort().await;
                return Err(e.into());
            }
        }
    }
    if !html_checked && let Err(e) = files::check_content(filename, writer.head()) {
        let _ = writer.abort().await;
        return Err(e.into());
    }
    Ok(writer.finish().await.map_err(AppError::from)?)
}

/// Reads a text field chunk by chunk, refusing it as soon as it passes `limit` bytes (the
/// upload routes have no body limit, so buffering a whole field first would let one request
/// fill the memory).
async fn read_text(field: &mut Field<'_>, name: &str, limit: usize) -> ApiResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::field(name, "This field is too long."));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| ApiError::field(name, "This field is not valid UTF-8."))
}

/// Reads a multipart upload: text fields into memory, the `file` part streamed to storage (as
/// a chunk when the chunk fields came first, else as a final file). On failure, a file part
/// already stored is deleted.
async fn read_form(
    state: &AppState,
    placement: &Placement,
    multipart: Multipart,
) -> ApiResult<UploadForm> {
    let mut form = UploadForm {
        text: HashMap::new(),
        file: None,
        chunks_at_file: None,
    };
    let read = read_parts(state, placement, multipart, &mut form).await;
    if let Err(e) = read {
        discard_part(state, &form).await;
        return Err(e);
    }
    Ok(form)
}

/// Deletes the stored file part of a refused upload, which nothing refers to.
async fn discard_part(state: &AppState, form: &UploadForm) {
    if let Some((key, _, _)) = &form.file {
        files::discard(&state.app, key).await;
    }
}

async fn read_parts(
    state: &AppState,
    placement: &Placement,
    mut multipart: Multipart,
    form: &mut UploadForm,
) -> ApiResult<()> {
    let mut text_total = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if form.file.is_some() {
                return Err(ApiError::bad_request("Send one file per upload."));
            }
            let chunks = form.chunk_fields()?;
            let chunked = chunks.totalparts.is_some_and(|t| t > 1);
            let filename = form
                .text
                .get("filename")
                .cloned()
                .filter(|_| chunked)
                .or_else(|| field.file_name().map(str::to_owned))
                .unwrap_or_default();
            let key = if chunked {
                let uuid = chunks
                    .uuid
                    .clone()
                    .ok_or_else(|| ApiError::field("uuid", "Required for a chunked upload."))?;
                files::check_upload_uuid(&uuid)?;
                let part = chunks.partindex.ok_or_else(|| {
                    ApiError::field("partindex", "Required for a chunked upload.")
                })?;
                files::chunk_key(placement, &uuid, part)
            } else {
                if filename.trim().is_empty() {
                    return Err(ApiError::field("file", "The file part has no file name."));
                }
                files::check_filename(&state.app, &filename)?;
                files::file_key(placement, &filename, state.app.clock.now())
            };
            let written = stream_field(state, &mut field, &key, &filename, !chunked).await?;
            form.file = Some((key, filename, written));
            form.chunks_at_file = Some(chunks);
        } else {
            let limit = MAX_TEXT_FIELD.min(MAX_TEXT_TOTAL - text_total);
            let text = read_text(&mut field, &name, limit).await?;
            text_total += text.len();
            form.text.insert(name, text);
        }
    }
    Ok(())
}

/// The answer to one stored chunk, in udata's shape.
fn chunk_ok() -> Response {
    Json(json!({"success": true})).into_response()
}

fn chunk_error(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"success": false, "error": message})),
    )
        .into_response()
}

/// Handles an upload body: a single file, one chunk, or the final call of a chunked upload,
/// stored where the placement says (a publisher's resource or a community resource). Returns
/// the stored file once complete, or the response to a chunk.
pub(crate) async fn receive(
    state: &AppState,
    placement: &Placement,
    multipart: Multipart,
) -> ApiResult<Result<(StoredFile, UploadFields), Response>> {
    let form = read_form(state, placement, multipart).await?;
    let received = receive_form(state, placement, &form).await;
    if received.is_err() {
        discard_part(state, &form).await;
    }
    received
}

async fn receive_form(
    state: &AppState,
    placement: &Placement,
    form: &UploadForm,
) -> ApiResult<Result<(StoredFile, UploadFields), Response>> {
    let chunks = form.chunk_fields()?;
    // Fields after the file part cannot change what it was stored as: a whole file turned into a
    // chunk would be lost, a chunk turned into a whole file would skip the extension check and
    // point a resource into the chunk area, which is purged.
    if form
        .chunks_at_file
        .as_ref()
        .is_some_and(|at| at.placement() != chunks.placement())
    {
        return Err(ApiError::bad_request(
            "Send uuid, partindex and totalparts before the file part.",
        ));
    }
    let chunked = chunks.totalparts.is_some_and(|t| t > 1);
    let storage = state.app.storage()?;
    match (&form.file, chunked) {
        (None, false) => Err(ApiError::field(
            "file",
            "No file was sent: add a \"file\" part to the form.",
        )),
        (Some((key, filename, written)), false) => Ok(Ok((
            StoredFile {
                key: key.clone(),
                filename: filename.clone(),
                written: written.clone(),
            },
            form.fields(),
        ))),
        (Some((key, filename, written)), true) => {
            let size = &written.size;
            // One chunk: check it against what the client announced, then remember the upload.
            let (Some(uuid), Some(part), Some(total)) =
                (chunks.uuid.clone(), chunks.partindex, chunks.totalparts)
            else {
                return Err(ApiError::bad_request(
                    "Chunked uploads need uuid, partindex and totalparts.",
                ));
            };
            let fail = |message: &str| {
                let key = key.clone();
                let storage = storage.clone();
                let message = message.to_owned();
                async move {
                    let _ = storage.delete(&key).await;
                    Ok(Err(chunk_error(&message)))
                }
            };
            if part >= total {
                return fail("Part index out of range").await;
            }
            if chunks.chunksize.is_some_and(|c| c != *size) {
                return fail("Chunk size mismatch").await;
            }
            let offset = chunks.partbyteoffset.unwrap_or(0);
            if let Err(e) = files::check_size(&state.app, offset + size) {
                let _ = storage.delete(key).await;
                return Err(e.into());
            }
            files::record_chunk(
                &state.app,
                placement,
                &ChunkMeta {
                    uuid,
                    filename: filename.clone(),
                    totalparts: total,
                    lastchunk: part,
                },
            )
            .await?;
            Ok(Err(chunk_ok()))
        }
        (None, true) => {
            // The final call: assemble the parts.
            let uuid = chunks
                .uuid
                .clone()
                .ok_or_else(|| ApiError::field("uuid", "Required to finish a chunked upload."))?;
            let filename = form
                .text
                .get("filename")
                .cloned()
                .filter(|f| !f.trim().is_empty())
                .ok_or_else(|| {
                    ApiError::field("filename", "Required to finish a chunked upload.")
                })?;
            let total = chunks.totalparts.unwrap_or(0);
            let stored = files::assemble(&state.app, placement, &uuid, &filename, total).await?;
            Ok(Ok((stored, form.fields())))
        }
    }
}

fn upload_response(status: StatusCode, resource: &Resource, base: &str) -> ApiResult<Response> {
    let body = serde_json::to_value(ApiResource::new(resource, base))
        .map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
    Ok(uploaded(status, body))
}

/// The answer to a completed upload, in udata's shape: the object with `success: true`.
pub(crate) fn uploaded(status: StatusCode, mut body: Value) -> Response {
    if let Value::Object(map) = &mut body {
        map.insert("success".into(), Value::Bool(true));
    }
    (status, Json(body)).into_response()
}

/// Upload a file as a new resource (multipart `file` field; udata's chunked protocol
/// supported). Answers 201 with the resource once the file is complete, 200 per chunk.
#[utoipa::path(
    post, path = "/api/1/datasets/{dataset}/upload/", tag = "resources", operation_id = "upload_resource",
    params(("dataset" = String, Path)),
    request_body(content_type = "multipart/form-data", description = "file; optional title, description, type; chunked: uuid, filename, partindex, partbyteoffset, totalparts, chunksize"),
    responses((status = 201, body = ApiResource), (status = 200, description = "A chunk was stored"), (status = 400), (status = 403),
        (status = 413, description = "File too large"), (status = 415, description = "HTML disguised as data")),
    security(("apikey" = []))
)]
pub async fn upload_resource(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path(dataset): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let dataset = files::authorize(&state.app, &auth.actor, &dataset, &Target::New).await?;
    let placement = Placement::Resource {
        dataset_id: dataset.id.clone(),
    };
    match receive(&state, &placement, multipart.map_err(not_multipart)?).await? {
        Err(chunk_response) => Ok(chunk_response),
        Ok((stored, fields)) => {
            let (_, resource) =
                files::attach_new(&state.app, &auth.actor, &dataset.id, stored, fields).await?;
            upload_response(StatusCode::CREATED, &resource, &base)
        }
    }
}

/// Replace the file of a hosted resource (same protocol). Answers 200 with the resource.
#[utoipa::path(
    post, path = "/api/1/datasets/{dataset}/resources/{rid}/upload/", tag = "resources", operation_id = "replace_resource_file",
    params(("dataset" = String, Path), ("rid" = String, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = ApiResource), (status = 400), (status = 403), (status = 404), (status = 413), (status = 415)),
    security(("apikey" = []))
)]
pub async fn replace_resource_file(
    State(state): State<AppState>,
    auth: Auth,
    BaseUrl(base): BaseUrl,
    Path((dataset, rid)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let dataset = files::authorize(
        &state.app,
        &auth.actor,
        &dataset,
        &Target::Replace(rid.clone()),
    )
    .await?;
    let placement = Placement::Resource {
        dataset_id: dataset.id.clone(),
    };
    match receive(&state, &placement, multipart.map_err(not_multipart)?).await? {
        Err(chunk_response) => Ok(chunk_response),
        Ok((stored, _)) => {
            let (_, resource) =
                files::attach_replacement(&state.app, &auth.actor, &dataset.id, &rid, stored)
                    .await?;
            upload_response(StatusCode::OK, &resource, &base)
        }
    }
}

/// An inclusive byte range request, resolved against the file size.
fn parse_range(header: &str, size: u64) -> Option<Result<std::ops::Range<u64>, ()>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    // Several ranges: serve the whole file, as RFC 9110 allows.
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let (start, end) = (start.trim(), end.trim());
    let range = if start.is_empty() {
        let suffix: u64 = end.parse().ok()?;
        // An empty file has no last byte to serve (RFC 9110 §14.1.3): 416, not an empty span.
        if suffix == 0 || size == 0 {
            return Some(Err(()));
        }
        size.saturating_sub(suffix)..size
    } else {
        let start: u64 = start.parse().ok()?;
        let end: u64 = if end.is_empty() {
            size.saturating_sub(1)
        } else {
            end.parse().ok()?
        };
        if start >= size || end < start {
            return Some(Err(()));
        }
        start..end.min(size.saturating_sub(1)) + 1
    };
    Some(Ok(range))
}

fn http_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn content_disposition(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or("file");
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"")
}

/// Download a hosted file: streamed, with `Content-Length`, `Content-Type`,
/// `Content-Disposition`, `ETag`, `Last-Modified`, single `Range` requests (206) and `HEAD`.
#[utoipa::path(
    get, path = "/files/{key}", tag = "resources", operation_id = "download_file",
    params(("key" = String, Path, description = "Storage key, as in a hosted resource's or community resource's url")),
    responses((status = 200, description = "The file"), (status = 206, description = "A byte range"), (status = 304), (status = 404),
        (status = 416, description = "Range not satisfiable"))
)]
pub async fn download_file(
    State(state): State<AppState>,
    auth: MaybeAuth,
    method: Method,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> ApiResult<Response> {
    let files::Downloadable {
        resource,
        public,
        counted,
    } = files::find_download(&state.app, auth.actor(), &key).await?;
    // Files of private datasets must never be kept by a shared cache (a CDN or proxy would
    // hand them to anyone).
    let cache_control = if public {
        "public, max-age=60"
    } else {
        "private, no-store"
    };
    let storage = state.app.storage()?;
    let info = storage.head(&key).await.map_err(AppError::from)?;
    let etag = match &resource.checksum {
        Some(c) => format!("\"{}\"", c.value),
        None => format!("\"{}-{}\"", info.size, info.last_modified.timestamp()),
    };
    let last_modified = http_date(info.last_modified);
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if not_modified {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache_control.to_owned()),
            ],
        )
            .into_response());
    }
    let mut range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_range(v, info.size));
    // A range is honoured only for the version the client names in If-Range, if any.
    if let Some(if_range) = headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok())
        && if_range.trim() != etag
        && if_range.trim() != last_modified
    {
        range = None;
    }
    let mime = resource
        .mime
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::CONTENT_DISPOSITION, content_disposition(&key))
        .header(header::ETAG, &etag)
        .header(header::LAST_MODIFIED, last_modified)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CACHE_CONTROL, cache_control)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    let (status, span) = match range {
        Some(Err(())) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{}", info.size))],
            )
                .into_response());
        }
        Some(Ok(r)) => {
            builder = builder.header(
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{}", r.start, r.end - 1, info.size),
            );
            (StatusCode::PARTIAL_CONTENT, Some(r))
        }
        None => (StatusCode::OK, None),
    };
    let length = span.as_ref().map_or(info.size, |r| r.end - r.start);
    builder = builder
        .status(status)
        .header(header::CONTENT_LENGTH, HeaderValue::from(length));
    if method == Method::HEAD {
        return builder
            .body(Body::empty())
            .map_err(|e| ApiError(AppError::Internal(e.to_string())));
    }
    if counted && span.as_ref().is_none_or(|r| r.start == 0) {
        state.downloads.count(&resource.id, &resource.dataset_id);
    }
    let download = storage.get(&key, span).await.map_err(AppError::from)?;
    builder
        .body(Body::from_stream(download.stream))
        .map_err(|e| ApiError(AppError::Internal(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some(Ok(0..10)));
        assert_eq!(parse_range("bytes=90-", 100), Some(Ok(90..100)));
        assert_eq!(parse_range("bytes=-10", 100), Some(Ok(90..100)));
        assert_eq!(parse_range("bytes=95-200", 100), Some(Ok(95..100)));
        assert_eq!(parse_range("bytes=100-", 100), Some(Err(())));
        assert_eq!(parse_range("bytes=5-1", 100), Some(Err(())));
        assert_eq!(parse_range("bytes=0-1,5-6", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
        assert_eq!(parse_range("bytes=-5", 0), Some(Err(())));
        assert_eq!(parse_range("bytes=0-", 0), Some(Err(())));
    }
}
