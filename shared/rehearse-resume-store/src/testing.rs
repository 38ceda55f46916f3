//! Helpers for the resume functions' tests: the upload routes' state, and a
//! resume kept the way an upload keeps it (object, then row) without running
//! the parser. Tiny and free of test-only dependencies, so it is compiled in
//! rather than behind a feature, like `rehearse_session_store::testing`.

use bytes::Bytes;
use rehearse_core::AuthUser;
use rehearse_db::Db;
use rehearse_db::resumes::StoredResume;
use rehearse_http::{Quotas, StoreState};
use rehearse_isolate::Isolator;
use rehearse_resume::Resume;
use rehearse_storage::Storage;

use crate::{PdfUpload, UploadState, save};

/// The upload routes' state on `store`'s backend and bucket, parsing with
/// `parser`, under the default budgets.
pub fn upload_state(store: StoreState, parser: Isolator) -> UploadState {
    UploadState {
        backend: store.backend,
        storage: store.storage,
        parser,
        quotas: Quotas::default(),
    }
}

/// Store `pdf` as `user`'s file `file_name`, with `resume` as its parse, as the
/// upload route does after parsing (panics, failing the test, when that fails).
pub async fn saved_upload(
    db: &Db,
    storage: &Storage,
    user: &AuthUser,
    file_name: &str,
    pdf: &'static [u8],
    resume: &Resume,
) -> StoredResume {
    let upload = PdfUpload {
        file_name: file_name.to_owned(),
        bytes: Bytes::from_static(pdf),
    };
    save(db, storage, user, &upload, resume)
        .await
        .unwrap_or_else(|e| panic!("save {file_name}: {e:?}"))
}
