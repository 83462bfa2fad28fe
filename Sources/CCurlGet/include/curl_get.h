#ifndef TAPEBENCH_CURL_GET_H
#define TAPEBENCH_CURL_GET_H

#include <stddef.h>

/// One blocking HTTP GET client over libcurl, which is loaded (dlopen) the first time a client is made, not
/// when the program starts: libcurl and the 26 libraries it brings (TLS, Kerberos, LDAP, ...) cost every
/// `tapebench` start about 5 ms of dynamic linking, and only `record` and `paper` send requests.
typedef struct tb_curl_client tb_curl_client;

/// The last complete response: status, the header block of the final response (after redirects), the body.
/// Owned by the client; valid until the next request or `tb_curl_client_free`.
typedef struct {
    long status;
    const char *headers;
    size_t headers_length;
    const char *body;
    size_t body_length;
} tb_curl_response;

/// A new client, or NULL with the reason in `error` (libcurl missing, or its set-up failed).
tb_curl_client *tb_curl_client_new(char *error, size_t error_capacity);

void tb_curl_client_free(tb_curl_client *client);

/// GET `url` with `header_count` header lines ("Name: value"). Returns 0 and fills `response`, or non-zero with
/// the reason in `error`: no complete response (refused, reset, cut, timed out, a body over `body_limit`).
/// `timeout_ms` bounds the whole request; `stall_seconds` ends one that received nothing for that long.
int tb_curl_get(tb_curl_client *client, const char *url, const char *const *header_lines, size_t header_count,
                long connect_timeout_ms, long timeout_ms, long stall_seconds, size_t body_limit,
                tb_curl_response *response, char *error, size_t error_capacity);

#endif
