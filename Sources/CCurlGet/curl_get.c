#include "curl_get.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libcurl's entry points, typed by its own header's declarations.
static struct {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_reset) *easy_reset;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl.4.dylib", "libcurl.so"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && library == NULL; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        const char *reason = library == NULL ? dlerror() : NULL;
        if (i == 0 && reason != NULL) {  // the first name's reason: the others are fallbacks for other systems
            snprintf(load_error, sizeof load_error, "cannot be loaded (install libcurl4: the recorder's HTTP client): %s", reason);
        }
    }
    if (library == NULL) return;
    load_error[0] = 0;
#define LOAD(field, symbol)                                                                                         \
    if ((*(void **)&curl.field = dlsym(library, symbol)) == NULL) {                                              \
        snprintf(load_error, sizeof load_error, "has no %s", symbol);                                       \
        return;                                                                                                     \
    }
    LOAD(global_init, "curl_global_init")
    LOAD(easy_init, "curl_easy_init")
    LOAD(easy_setopt, "curl_easy_setopt")
    LOAD(easy_perform, "curl_easy_perform")
    LOAD(easy_getinfo, "curl_easy_getinfo")
    LOAD(easy_reset, "curl_easy_reset")
    LOAD(easy_cleanup, "curl_easy_cleanup")
    LOAD(easy_strerror, "curl_easy_strerror")
    LOAD(slist_append, "curl_slist_append")
    LOAD(slist_free_all, "curl_slist_free_all")
#undef LOAD
    // Once, before any handle: curl_global_init is not thread-safe in older libcurls, pthread_once makes it so here.
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) snprintf(load_error, sizeof load_error, "did not start: %s", curl.easy_strerror(code));
}

typedef struct {
    char *bytes;
    size_t length, capacity, limit;
    int over_limit;
} buffer;

static int buffer_append(buffer *b, const char *bytes, size_t count) {
    if (count > b->limit - b->length) {
        b->over_limit = 1;
        return 0;
    }
    if (b->length + count > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 16384;
        while (capacity < b->length + count) capacity = capacity > b->limit / 2 ? b->limit : capacity * 2;
        char *grown = realloc(b->bytes, capacity);
        if (grown == NULL) return 0;
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->length, bytes, count);
    b->length += count;
    return 1;
}

struct tb_curl_client {
    CURL *handle;  // kept between requests: its connection cache keeps the connection (and TLS session) alive
    buffer headers, body;
};

static size_t on_body(char *bytes, size_t size, size_t count, void *user) {
    return buffer_append(user, bytes, size * count) ? size * count : 0;  // 0 makes libcurl stop with a write error
}

static size_t on_header(char *bytes, size_t size, size_t count, void *user) {
    buffer *headers = user;
    // A status line starts each response of a redirect chain (and a 100 Continue): keep the last response's only.
    if (size * count >= 5 && memcmp(bytes, "HTTP/", 5) == 0) headers->length = 0;
    return buffer_append(headers, bytes, size * count) ? size * count : 0;
}

tb_curl_client *tb_curl_client_new(char *error, size_t error_capacity) {
    pthread_once(&load_once, load);
    if (load_error[0] != 0) {
        snprintf(error, error_capacity, "%s", load_error);
        return NULL;
    }
    tb_curl_client *client = calloc(1, sizeof *client);
    if (client == NULL || (client->handle = curl.easy_init()) == NULL) {
        free(client);
        snprintf(error, error_capacity, "could not make a handle");
        return NULL;
    }
    client->headers.limit = 1 << 20;
    return client;
}

void tb_curl_client_free(tb_curl_client *client) {
    if (client == NULL) return;
    curl.easy_cleanup(client->handle);
    free(client->headers.bytes);
    free(client->body.bytes);
    free(client);
}

int tb_curl_get(tb_curl_client *client, const char *url, const char *const *header_lines, size_t header_count,
                long connect_timeout_ms, long timeout_ms, long stall_seconds, size_t body_limit,
                tb_curl_response *response, char *error, size_t error_capacity) {
    CURL *h = client->handle;
    curl.easy_reset(h);  // options back to defaults; the connection cache stays
    client->headers.length = 0;
    client->headers.over_limit = 0;
    client->body.length = 0;
    client->body.over_limit = 0;
    client->body.limit = body_limit;

    struct curl_slist *list = NULL;
    for (size_t i = 0; i < header_count; i++) {
        struct curl_slist *appended = curl.slist_append(list, header_lines[i]);
        if (appended == NULL) {
            curl.slist_free_all(list);
            snprintf(error, error_capacity, "out of memory for the request's headers");
            return 1;
        }
        list = appended;
    }
    char detail[CURL_ERROR_SIZE] = {0};
    curl.easy_setopt(h, CURLOPT_URL, url);
    curl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl.easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: the program has other threads
    curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl.easy_setopt(h, CURLOPT_LOW_SPEED_TIME, stall_seconds);
    curl.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes (gzip at least)
    curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    // Only http and https, also for redirects (libcurl before 7.85 has only the bit-mask form).
    if (curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK) {
        curl.easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
        curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    } else {
        curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(h, CURLOPT_WRITEDATA, &client->body);
    curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(h, CURLOPT_HEADERDATA, &client->headers);
    curl.easy_setopt(h, CURLOPT_ERRORBUFFER, detail);

    CURLcode code = curl.easy_perform(h);
    curl.easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl.slist_free_all(list);
    if (code != CURLE_OK) {
        if (client->body.over_limit) {
            snprintf(error, error_capacity, "the body is over %zu bytes", body_limit);
        } else if (client->headers.over_limit) {
            snprintf(error, error_capacity, "the headers are over %zu bytes", client->headers.limit);
        } else {
            snprintf(error, error_capacity, "%s", detail[0] ? detail : curl.easy_strerror(code));
        }
        return 1;
    }
    long status = 0;
    curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response->status = status;
    response->headers = client->headers.bytes;
    response->headers_length = client->headers.length;
    response->body = client->body.bytes;
    response->body_length = client->body.length;
    return 0;
}
