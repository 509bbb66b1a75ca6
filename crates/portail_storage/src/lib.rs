//! Files of Portail behind one interface: a local folder (the default, inside the data folder)
//! or an S3-compatible bucket, through `object_store`.
//!
//! Writes stream: a [`Writer`] sends parts as they come, hashing (SHA-256) and counting on the
//! way, so memory stays flat whatever the file size. An object becomes visible only when the
//! writer finishes: the local store writes to a staging file (`name#digits`) renamed into place,
//! and S3 multipart uploads are invisible until completed. A process killed mid-upload leaves
//! at most a staging file or an incomplete multipart upload, which [`Storage::cleanup_staging`]
//! and the bucket's lifecycle rules remove.

use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{
    GetOptions, GetRange, GetResultPayload, ObjectStore, ObjectStoreExt, WriteMultipart,
};
use sha2::{Digest, Sha256};

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No object at that key.
    #[error("file not found: {0}")]
    NotFound(String),
    /// The configuration cannot be used; the message says why.
    #[error("{0}")]
    Config(String),
    /// The store failed.
    #[error("storage error: {0}")]
    Store(#[from] object_store::Error),
    /// A local file operation failed.
    #[error("storage I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result type of this crate.
pub type StorageResult<T> = Result<T, StorageError>;

fn map_not_found(key: &str) -> impl FnOnce(object_store::Error) -> StorageError + '_ {
    move |e| match e {
        object_store::Error::NotFound { .. } => StorageError::NotFound(key.to_owned()),
        other => StorageError::Store(other),
    }
}

/// S3 connection settings (`PORTAIL_S3_*` or the standard `AWS_*` variables).
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    /// e.g. `http://127.0.0.1:9000` for a local S3-compatible server.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Allow plain HTTP endpoints (local servers).
    pub allow_http: bool,
}

/// Where files live.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Key prefix inside the bucket (S3) — empty for the local folder, which is its own root.
    prefix: String,
    /// The root folder of a local store, for staging cleanup.
    local_root: Option<PathBuf>,
    description: String,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

/// Size of the parts sent while streaming (S3's minimum part size is 5 MiB). The local store
/// uses it too: with 2 MiB parts there, a 2 GiB upload grew the server by ~8 MiB instead of
/// ~22 MiB, but ran ~10% slower, glibc giving the freed memory back to the kernel and faulting
/// it in again more often (`portail bench upload` counts the minor page faults).
pub const PART_SIZE: usize = 8 * 1024 * 1024;
/// Parts in flight at once: bounds memory to about `PART_SIZE * (PARTS_IN_FLIGHT + 1)`.
pub const PARTS_IN_FLIGHT: usize = 2;
/// Size of the pieces a local file is read in when downloaded, each on the blocking pool.
/// (`object_store` reads 8 KiB per blocking task: the thread hand-offs then cost far more than
/// the copy, ~200 MB/s and ~4 s of CPU per GiB, against ~1.2 GB/s and ~0.7 s with 256 KiB.)
pub const READ_PIECE: usize = 256 * 1024;
/// Bytes kept from the start of a file for content sniffing.
pub const HEAD_BYTES: usize = 4096;

impl Storage {
    /// A store in a local folder (created if missing). Writes are fsynced before they become
    /// visible, so a crash never exposes a truncated file.
    pub fn local(root: &FsPath) -> StorageResult<Storage> {
        std::fs::create_dir_all(root)?;
        let store = LocalFileSystem::new_with_prefix(root)?
            .with_fsync(true)
            .with_automatic_cleanup(false);
        Ok(Storage {
            store: Arc::new(store),
            prefix: String::new(),
            local_root: Some(root.canonicalize()?),
            description: format!("local folder {}", root.display()),
        })
    }

    /// A store from a URL: `file:///abs/path` or `s3://bucket[/prefix]`.
    pub fn from_url(url: &str, s3: &S3Settings) -> StorageResult<Storage> {
        let parsed = url::Url::parse(url).map_err(|e| {
            StorageError::Config(format!(
                "invalid storage URL \"{url}\": {e} (expected file:///path/to/folder or s3://bucket/prefix)"
            ))
        })?;
        match parsed.scheme() {
            "file" => {
                let path = parsed
                    .to_file_path()
                    .map_err(|()| StorageError::Config(format!("invalid file URL \"{url}\"")))?;
                Storage::local(&path)
            }
            "s3" => {
                let bucket = parsed
                    .host_str()
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| StorageError::Config(format!("no bucket in \"{url}\"")))?;
                // reqwest is built with `rustls-no-provider`: building the S3 client panics
                // unless a process-wide crypto provider is installed. Install ring's if the
                // process has none yet (an error only means one is already there).
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .with_allow_http(s3.allow_http);
                if let Some(endpoint) = &s3.endpoint {
                    // S3-compatible servers (MinIO, Garage, Ceph...) use path-style requests.
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false);
                }
                builder = builder.with_region(s3.region.as_deref().unwrap_or("us-east-1"));
                if let Some(key) = &s3.access_key_id {
                    builder = builder.with_access_key_id(key);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                let store = builder.build()?;
                let prefix = parsed.path().trim_matches('/').to_owned();
                Ok(Storage {
                    store: Arc::new(store),
                    prefix,
                    local_root: None,
                    description: format!("S3 bucket {url}"),
                })
            }
            other => Err(StorageError::Config(format!(
                "unsupported storage scheme \"{other}\": use file:// or s3://"
            ))),
        }
    }

    /// Where files go, for logs.
    pub fn describe(&self) -> &str {
        &self.description
    }

    fn path(&self, key: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{}/{key}", self.prefix))
        }
    }

    fn key_of(&self, path: &Path) -> String {
        let full = path.as_ref();
        if self.prefix.is_empty() {
            full.to_owned()
        } else {
            full.strip_prefix(&format!("{}/", self.prefix))
                .unwrap_or(full)
                .to_owned()
        }
    }

    /// Starts streaming a new object at `key`.
    pub async fn writer(&self, key: &str) -> StorageResult<Writer> {
        let upload = self.store.put_multipart(&self.path(key)).await?;
        Ok(Writer {
            upload: WriteMultipart::new_with_chunk_size(upload, PART_SIZE),
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(HEAD_BYTES),
        })
    }

    /// Stores small bytes at once (metadata files).
    pub async fn put_bytes(&self, key: &str, bytes: Bytes) -> StorageResult<()> {
        self.store.put(&self.path(key), bytes.into()).await?;
        Ok(())
    }

    /// Size and modification time of an object.
    pub async fn head(&self, key: &str) -> StorageResult<ObjectInfo> {
        let meta = self
            .store
            .head(&self.path(key))
            .await
            .map_err(map_not_found(key))?;
        Ok(ObjectInfo {
            key: key.to_owned(),
            size: meta.size,
            last_modified: meta.last_modified,
            e_tag: meta.e_tag,
        })
    }

    /// Reads an object, or a byte range of it, as a stream.
    pub async fn get(&self, key: &str, range: Option<Range<u64>>) -> StorageResult<Download> {
        let options = GetOptions {
            range: range.clone().map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let result = self
            .store
            .get_opts(&self.path(key), options)
            .await
            .map_err(map_not_found(key))?;
        let info = ObjectInfo {
            key: key.to_owned(),
            size: result.meta.size,
            last_modified: result.meta.last_modified,
            e_tag: result.meta.e_tag.clone(),
        };
        let range = result.range.clone();
        let stream = match result.payload {
            GetResultPayload::File(file, path) => read_local(file, path, range.clone()),
            GetResultPayload::Stream(stream) => stream.map_err(StorageError::Store).boxed(),
        };
        Ok(Download {
            info,
            range,
            stream,
        })
    }

    /// Reads a whole (small) object into memory.
    pub async fn get_bytes(&self, key: &str) -> StorageResult<Bytes> {
        let result = self
            .store
            .get(&self.path(key))
            .await
            .map_err(map_not_found(key))?;
        Ok(result.bytes().await?)
    }

    /// Moves an object to another key.
    pub async fn rename(&self, from: &str, to: &str) -> StorageResult<()> {
        self.store
            .rename(&self.path(from), &self.path(to))
            .await
            .map_err(map_not_found(from))
    }

    /// Deletes an object; a missing one is not an error.
    pub async fn delete(&self, key: &str) -> StorageResult<()> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every object under a key prefix.
    pub async fn list(&self, prefix: &str) -> StorageResult<Vec<ObjectInfo>> {
        let path = self.path(prefix.trim_end_matches('/'));
        let metas: Vec<_> = self.store.list(Some(&path)).try_collect().await?;
        Ok(metas
            .into_iter()
            .map(|m| ObjectInfo {
                key: self.key_of(&m.location),
                size: m.size,
                last_modified: m.last_modified,
                e_tag: m.e_tag,
            })
            .collect())
    }

    /// Removes staging files of local writes interrupted by a crash and older than `older_than`.
    /// Returns how many were removed. S3 stores rely on the bucket's lifecycle rule for
    /// incomplete multipart uploads.
    pub fn cleanup_staging(&self, older_than: Duration) -> StorageResult<usize> {
        let Some(root) = &self.local_root else {
            return Ok(0);
        };
        let cutoff = SystemTime::now()
            .checked_sub(older_than)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let mut removed = 0;
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    stack.push(path);
                } else if is_staging_name(&entry.file_name().to_string_lossy())
                    && meta.modified().is_ok_and(|m| m < cutoff)
                {
                    std::fs::remove_file(&path)?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

/// Streams `range` of a local file in pieces of [`READ_PIECE`] bytes, each read on the blocking
/// pool.
fn read_local(
    file: std::fs::File,
    path: PathBuf,
    range: Range<u64>,
) -> BoxStream<'static, StorageResult<Bytes>> {
    futures_util::stream::try_unfold(
        (file, path, range.start),
        move |(mut file, path, at)| async move {
            if at >= range.end {
                return Ok(None);
            }
            let want = (range.end - at).min(READ_PIECE as u64);
            let (file, path, piece) = tokio::task::spawn_blocking(move || {
                let mut piece = Vec::with_capacity(READ_PIECE);
                let read = file
                    .seek(SeekFrom::Start(at))
                    .and_then(|_| (&mut file).take(want).read_to_end(&mut piece));
                match read {
                    Ok(0) => Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        format!("{} is shorter than expected", path.display()),
                    )),
                    Ok(_) => Ok((file, path, piece)),
                    Err(e) => Err(std::io::Error::new(
                        e.kind(),
                        format!("cannot read {}: {e}", path.display()),
                    )),
                }
            })
            .await
            .map_err(std::io::Error::other)??;
            let next = at + piece.len() as u64;
            Ok(Some((Bytes::from(piece), (file, path, next))))
        },
    )
    .boxed()
}

/// `name#123`: a staging file of the local store.
fn is_staging_name(name: &str) -> bool {
    name.rsplit_once('#')
        .is_some_and(|(_, suffix)| !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit()))
}

/// What a finished write produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub size: u64,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    /// The first bytes, for content sniffing.
    pub head: Vec<u8>,
}

/// A streaming write; see [`Storage::writer`].
pub struct Writer {
    upload: WriteMultipart,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
}

impl Writer {
    /// Appends bytes, waiting when too many parts are in flight (back-pressure keeps memory
    /// flat).
    pub async fn write(&mut self, bytes: Bytes) -> StorageResult<()> {
        if self.head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
        }
        self.hasher.update(&bytes);
        self.size += bytes.len() as u64;
        self.upload.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.upload.put(bytes);
        Ok(())
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The first bytes written so far.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Completes the object: only now does it become visible.
    pub async fn finish(self) -> StorageResult<Written> {
        self.upload.finish().await?;
        Ok(Written {
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
            head: self.head,
        })
    }

    /// Gives up: nothing becomes visible.
    pub async fn abort(self) -> StorageResult<()> {
        self.upload.abort().await?;
        Ok(())
    }
}

/// Metadata of a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    pub last_modified: DateTime<Utc>,
    pub e_tag: Option<String>,
}

/// An object being read.
pub struct Download {
    pub info: ObjectInfo,
    /// The byte range actually returned.
    pub range: Range<u64>,
    pub stream: BoxStream<'static, StorageResult<Bytes>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_root(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("portail-storage-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[tokio::test]
    async fn streams_hashes_and_reads_ranges() {
        let root = temp_root("stream");
        let storage = Storage::local(&root).unwrap();
        let mut w = storage.writer("a/b/data.csv").await.unwrap();
        w.write(Bytes::from_static(b"id;name\n")).await.unwrap();
        w.write(Bytes::from_static(b"1;Alice\n")).await.unwrap();
        let written = w.finish().await.unwrap();
        assert_eq!(written.size, 16);
        assert_eq!(
            written.sha256,
            hex::encode(Sha256::digest(b"id;name\n1;Alice\n"))
        );
        let d = storage.get("a/b/data.csv", Some(3..7)).await.unwrap();
        let body: Vec<Bytes> = d.stream.try_collect().await.unwrap();
        assert_eq!(body.concat(), b"name");
        assert_eq!(storage.list("a").await.unwrap().len(), 1);
        storage.delete("a/b/data.csv").await.unwrap();
        storage.delete("a/b/data.csv").await.unwrap();
        assert!(matches!(
            storage.head("a/b/data.csv").await,
            Err(StorageError::NotFound(_))
        ));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[tokio::test]
    async fn large_files_read_back_in_pieces() {
        let root = temp_root("pieces");
        let storage = Storage::local(&root).unwrap();
        let content: Vec<u8> = (0..(2 * READ_PIECE + PART_SIZE + 123))
            .map(|i| (i % 251) as u8)
            .collect();
        let mut w = storage.writer("big/file.bin").await.unwrap();
        for piece in content.chunks(100_000) {
            w.write(Bytes::copy_from_slice(piece)).await.unwrap();
        }
        let written = w.finish().await.unwrap();
        assert_eq!(written.size, content.len() as u64);
        assert_eq!(written.sha256, hex::encode(Sha256::digest(&content)));
        let whole: Vec<Bytes> = storage
            .get("big/file.bin", None)
            .await
            .unwrap()
            .stream
            .try_collect()
            .await
            .unwrap();
        assert!(whole.iter().all(|p| p.len() <= READ_PIECE));
        assert_eq!(whole.concat(), content);
        let (start, end) = (READ_PIECE as u64 - 10, 2 * READ_PIECE as u64 + 10);
        let d = storage.get("big/file.bin", Some(start..end)).await.unwrap();
        assert_eq!(d.range, start..end);
        let part: Vec<Bytes> = d.stream.try_collect().await.unwrap();
        assert_eq!(part.concat(), &content[start as usize..end as usize]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[tokio::test]
    async fn aborted_write_leaves_nothing_visible() {
        let root = temp_root("abort");
        let storage = Storage::local(&root).unwrap();
        let mut w = storage.writer("x/file.bin").await.unwrap();
        w.write(Bytes::from(vec![7u8; 1000])).await.unwrap();
        w.abort().await.unwrap();
        assert!(storage.list("x").await.unwrap().is_empty());
        assert!(matches!(
            storage.head("x/file.bin").await,
            Err(StorageError::NotFound(_))
        ));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn staging_names() {
        assert!(is_staging_name("data.csv#12"));
        assert!(!is_staging_name("data.csv"));
        assert!(!is_staging_name("data#csv"));
    }

    #[test]
    fn bad_urls_are_explained() {
        let err = Storage::from_url("ftp://x", &S3Settings::default()).unwrap_err();
        assert!(err.to_string().contains("unsupported storage scheme"));
    }
}
