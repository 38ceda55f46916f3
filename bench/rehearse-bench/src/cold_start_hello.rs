//! The baseline of `bench/cold-start.sh`: the smallest `lambda_http` function
//! (answers every request with a fixed JSON body), built with the same release
//! profile as the functions, so their cold starts read as multiples of it.

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_http::run(service_fn(|_req: Request| async {
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from(r#"{"hello":"world"}"#))
            .map_err(Error::from)
    }))
    .await
}
