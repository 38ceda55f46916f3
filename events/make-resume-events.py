#!/usr/bin/env python3
"""Writes the resume routes' events (events/resume-*/, events/upload-*/).

Run from the repository root after changing a case: `python3 events/make-resume-events.py`.
The multipart bodies are base64 with "isBase64Encoded": true, as API Gateway
delivers binary bodies; the PDF inside is a hand-written one-page text PDF
(Helvetica) with a name, an email, a phone number and a skills line.
Signed-in events carry the placeholder token that `rehearse-dev event` (and the
tests, through `rehearse_testkit::tokens::with_bearer`) replace with a real one.
"""

import base64
import json
import os

BEARER = "Bearer REPLACE_ME_run_rehearse-dev_event_to_sign_this_event"
BOUNDARY = "------------------------d74496d66958873e"
RESUME_ID = "3f0c2a8e-5d1b-4c7e-9a2f-6b8d0e1c4a57"


def tiny_pdf() -> bytes:
    content = (
        b"BT /F2 20 Tf 72 720 Td (Ada Lovelace) Tj ET\n"
        b"BT /F1 11 Tf 72 700 Td (ada@example.com | +44 20 7946 0958 | London, UK) Tj ET\n"
        b"BT /F2 13 Tf 72 670 Td (Skills) Tj ET\n"
        b"BT /F1 11 Tf 72 654 Td (Python, Rust, SQL, Docker) Tj ET\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


# A 1x1 transparent PNG: what a user uploads when they rename a picture to .pdf.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def multipart(field: str, filename: str, content_type: str, data: bytes) -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def event(method, path, route, *, signed_in, body=None, content_type=None,
          binary=False, query=None, path_params=None):
    headers = {
        "accept": "application/json",
        "content-length": str(len(body or b"")),
        "host": "api.rehearse.example",
        "user-agent": "curl/8.5.0",
        "x-amzn-trace-id": "Root=1-65f1c2a1-0a1b2c3d4e5f60718293a4b5",
        "x-forwarded-for": "203.0.113.10",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if signed_in:
        headers["authorization"] = BEARER
    if content_type:
        headers["content-type"] = content_type
    raw_query = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    ev = {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": headers,
    }
    if query:
        ev["queryStringParameters"] = query
    ev["requestContext"] = {
        "accountId": "123456789012",
        "apiId": "r3h34rs3",
        "domainName": "api.rehearse.example",
        "domainPrefix": "api",
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "203.0.113.10",
            "userAgent": "curl/8.5.0",
        },
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        "routeKey": f"{method} {route}",
        "stage": "$default",
        "time": "25/Nov/2026:00:00:00 +0000",
        "timeEpoch": 1795564800000,
    }
    if path_params:
        ev["pathParameters"] = path_params
    ev["isBase64Encoded"] = binary
    if body is not None:
        ev["body"] = base64.b64encode(body).decode() if binary else body.decode()
    return ev


def write(function, case, ev):
    os.makedirs(f"events/{function}", exist_ok=True)
    with open(f"events/{function}/{case}.json", "w") as f:
        json.dump(ev, f, indent=2)
        f.write("\n")


def main():
    pdf = tiny_pdf()
    form = f"multipart/form-data; boundary={BOUNDARY}"
    uploads = {
        "signed-in": (True, multipart("file", "Ada Lovelace CV.pdf", "application/pdf", pdf), form),
        "anonymous": (False, multipart("file", "Ada Lovelace CV.pdf", "application/pdf", pdf), form),
        "not-a-pdf": (True, multipart("file", "resume.pdf", "application/pdf", PNG), form),
        # The PDF under the wrong field name: a client bug the API must name.
        "missing-file": (True, multipart("resume", "resume.pdf", "application/pdf", pdf), form),
        "wrong-content-type": (True, b'{"file": "resume.pdf"}', "application/json"),
    }
    for function, path in [("resume-parse", "/api/resume/parse"),
                           ("resume-upload", "/api/db/resumes/upload")]:
        for case, (signed_in, body, ctype) in uploads.items():
            write(function, case, event("POST", path, path, signed_in=signed_in, body=body,
                                        content_type=ctype, binary=ctype == form))

    write("resume-list", "signed-in",
          event("GET", "/api/db/resumes", "/api/db/resumes", signed_in=True))
    write("resume-list", "anonymous",
          event("GET", "/api/db/resumes", "/api/db/resumes", signed_in=False))
    write("resume-list", "page",
          event("GET", "/api/db/resumes", "/api/db/resumes", signed_in=True,
                query={"limit": "1", "offset": "1"}))
    write("resume-list", "bad-limit",
          event("GET", "/api/db/resumes", "/api/db/resumes", signed_in=True,
                query={"limit": "500"}))

    route = "/api/db/resumes/{resume_id}"
    for case, signed_in, rid in [("signed-in", True, RESUME_ID), ("anonymous", False, RESUME_ID),
                                 ("invalid-id", True, "not-a-uuid")]:
        write("resume-delete", case,
              event("DELETE", f"/api/db/resumes/{rid}", route, signed_in=signed_in,
                    path_params={"resume_id": rid}))

    resume = {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0958",
        "skills": ["Python", "Rust", "SQL"],
        "experience": [{"title": "Analyst", "company": "Analytical Engines", "start": "2019-01",
                        "end": "present"}],
        "years_of_experience": 5,
        "experience_level": "senior",
    }
    create = {
        "signed-in": (True, {"file_name": "Sign-up form", "resume_data": resume}),
        "fields-directly": (True, {**resume, "skills": "Go, Kubernetes", "user_id": RESUME_ID}),
        "invalid": (True, {"resume_data": {**resume, "years_of_experience": 500}}),
        "anonymous": (False, {"resume_data": resume}),
    }
    for case, (signed_in, body) in create.items():
        write("resume-create", case,
              event("POST", "/api/db/resume", "/api/db/resume", signed_in=signed_in,
                    body=json.dumps(body).encode(), content_type="application/json"))

    json_type = "application/json"
    upload_url = {
        # 9 MiB: over the multipart route's limit, within the direct one's.
        "signed-in": (True, {"file_name": "Ada Lovelace CV.pdf", "file_size": 9 * 1024 * 1024,
                             "content_type": "application/pdf"}),
        "anonymous": (False, {"file_name": "Ada Lovelace CV.pdf", "file_size": 9 * 1024 * 1024,
                              "content_type": "application/pdf"}),
        "too-large": (True, {"file_name": "scan.pdf", "file_size": 11 * 1024 * 1024,
                             "content_type": "application/pdf"}),
        "not-a-pdf": (True, {"file_name": "photo.png", "file_size": 2048,
                             "content_type": "image/png"}),
        "missing-size": (True, {"file_name": "cv.pdf"}),
    }
    path = "/api/db/resumes/upload-url"
    for case, (signed_in, body) in upload_url.items():
        write("upload-url-create", case,
              event("POST", path, path, signed_in=signed_in, body=json.dumps(body).encode(),
                    content_type=json_type))

    route = "/api/db/resumes/{resume_id}/parse"
    for case, signed_in, rid, body in [
        ("signed-in", True, RESUME_ID, b'{"file_name": "Ada Lovelace CV.pdf"}'),
        ("no-body", True, RESUME_ID, None),
        ("anonymous", False, RESUME_ID, None),
        ("invalid-id", True, "not-a-uuid", None),
    ]:
        write("upload-parse", case,
              event("POST", f"/api/db/resumes/{rid}/parse", route, signed_in=signed_in,
                    body=body, content_type=json_type if body else None,
                    path_params={"resume_id": rid}))


if __name__ == "__main__":
    main()
