// The streaming load of the proxy benchmark: a small C client (poll, keep-alive HTTP/1.1) so that
// the time to first byte it measures is the proxy's and not a Node client's (which cost 0.3-0.4 ms
// of CPU per streamed request here, more than the proxies it measured). Built by
// bench/proxy/sse-load.ts with the system C compiler.
//
//   sse-load <ipv4> <port> <path> <headers file> <body file> <concurrency> <requests> <max ms> [stagger ms]
//
// The headers file holds "Name: value" lines (the arm's auth). Every connection sends the same POST
// again as soon as its previous answer has ended (chunked or Content-Length), until `requests` were
// issued or `max ms` passed. With `stagger ms`, connection i sends its first request i × that late, so
// that streams of equal length do not start (and end) in lock step. Prints one line of JSON: requests done, errors (non-200 answers,
// broken connections), the first error, wall time, this process's CPU time, and per request the
// time to the first body byte and to the end of the answer (ms, from the request's first byte sent).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 256
#define HEAD_MAX 65536

enum body_kind { BODY_NONE, BODY_LENGTH, BODY_CHUNKED };
enum chunk_state { CH_SIZE, CH_DATA, CH_DATA_END, CH_TRAILER };

struct conn {
  int fd;
  int waiting;         // its first request is due at start_at
  double start_at;
  int busy;            // a request is in flight
  double t0, tfirst;   // request sent, first body byte
  char head[HEAD_MAX]; // the response head so far
  size_t head_len;
  int head_done;
  int status;
  enum body_kind kind;
  long long remaining; // BODY_LENGTH: bytes left; CH_DATA: bytes left in the chunk
  enum chunk_state cs;
  char line[256];      // a chunk-size or trailer line being read
  size_t line_len;
};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static struct sockaddr_in addr;
static char *request;
static size_t request_len;
static long done_count, errors, issued, max_requests;
static double *ttfb, *total;
static char first_error[200];

static void fail(const char *what) {
  errors++;
  if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s", what);
}

static int open_conn(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { close(fd); return -1; }
  return fd;
}

static int send_request(struct conn *c) {
  if (c->fd < 0 && (c->fd = open_conn()) < 0) { fail("connect failed"); return -1; }
  c->busy = 1;
  c->tfirst = 0;
  c->head_len = 0;
  c->head_done = 0;
  c->status = 0;
  c->kind = BODY_NONE;
  c->remaining = 0;
  c->cs = CH_SIZE;
  c->line_len = 0;
  c->t0 = now_ms();
  size_t off = 0;
  while (off < request_len) {
    ssize_t n = send(c->fd, request + off, request_len - off, MSG_NOSIGNAL);
    if (n <= 0) { if (errno == EINTR) continue; close(c->fd); c->fd = -1; c->busy = 0; fail("send failed"); return -1; }
    off += (size_t)n;
  }
  issued++;
  return 0;
}

/** The head is complete: status, and how the body is framed. */
static void parse_head(struct conn *c) {
  c->head[c->head_len] = 0;
  c->status = atoi(c->head + 9); // "HTTP/1.1 200"
  c->kind = BODY_NONE;
  for (char *p = strstr(c->head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
    char *h = p + 2;
    char *eol = strstr(h, "\r\n");
    if (!eol) break;
    if (!strncasecmp(h, "content-length:", 15)) {
      c->kind = BODY_LENGTH;
      c->remaining = atoll(h + 15);
    } else if (!strncasecmp(h, "transfer-encoding:", 18)) {
      *eol = 0; // the value alone, for the search
      if (strcasestr(h + 18, "chunked")) c->kind = BODY_CHUNKED;
      *eol = '\r';
    }
  }
  c->cs = CH_SIZE;
}

/** Feed body bytes; returns 1 when the answer has ended. */
static int feed_body(struct conn *c, const char *p, size_t n) {
  if (c->kind == BODY_LENGTH) {
    c->remaining -= (long long)n;
    return c->remaining <= 0;
  }
  if (c->kind == BODY_NONE) return 0; // read until close
  for (size_t i = 0; i < n;) {
    if (c->cs == CH_DATA) {
      size_t take = (size_t)c->remaining < n - i ? (size_t)c->remaining : n - i;
      c->remaining -= (long long)take;
      i += take;
      if (c->remaining == 0) { c->cs = CH_DATA_END; c->line_len = 0; }
      continue;
    }
    char ch = p[i++];
    if (c->line_len < sizeof c->line - 1) c->line[c->line_len++] = ch;
    if (ch != '\n') continue;
    c->line[c->line_len] = 0;
    int empty = c->line_len <= 2;
    c->line_len = 0;
    if (c->cs == CH_DATA_END) { c->cs = CH_SIZE; continue; }
    if (c->cs == CH_SIZE) {
      long long size = strtoll(c->line, NULL, 16);
      if (size == 0) c->cs = CH_TRAILER;
      else { c->cs = CH_DATA; c->remaining = size; }
      continue;
    }
    if (c->cs == CH_TRAILER && empty) return 1; // trailers end with an empty line
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 9 && argc != 10) {
    fprintf(stderr, "usage: sse-load <ipv4> <port> <path> <headers file> <body file> <concurrency> <requests> <max ms> [stagger ms]\n");
    return 2;
  }
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) { fprintf(stderr, "not an IPv4 address: %s\n", argv[1]); return 2; }
  size_t hlen, blen;
  char *headers = read_file(argv[4], &hlen);
  char *body = read_file(argv[5], &blen);
  int conc = atoi(argv[6]);
  max_requests = atol(argv[7]);
  double max_ms = atof(argv[8]);
  double stagger = argc == 10 ? atof(argv[9]) : 0;
  if (conc < 1 || conc > MAX_CONN || max_requests < 1) { fprintf(stderr, "concurrency 1-%d, requests >= 1\n", MAX_CONN); return 2; }
  request = malloc(hlen + blen + 512);
  request_len = (size_t)sprintf(request, "POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n", argv[3], argv[1], argv[2], blen, headers);
  memcpy(request + request_len, body, blen);
  request_len += blen;
  ttfb = malloc(sizeof(double) * (size_t)max_requests);
  total = malloc(sizeof(double) * (size_t)max_requests);

  static struct conn conns[MAX_CONN];
  struct pollfd pfd[MAX_CONN];
  double started = now_ms(), deadline = started + max_ms;
  for (int i = 0; i < conc; i++) {
    conns[i].fd = -1;
    conns[i].waiting = 1;
    conns[i].start_at = started + i * stagger;
  }
  static char buf[1 << 16];
  for (;;) {
    int n = 0, map[MAX_CONN], waiting = 0;
    double t = now_ms(), next_start = 1e300;
    for (int i = 0; i < conc; i++) {
      struct conn *c = &conns[i];
      if (c->waiting) {
        if (t >= c->start_at) {
          c->waiting = 0;
          if (issued < max_requests && t < deadline) send_request(c);
        } else {
          waiting = 1;
          if (c->start_at < next_start) next_start = c->start_at;
        }
      }
      if (c->busy) { pfd[n].fd = c->fd; pfd[n].events = POLLIN; map[n++] = i; }
    }
    if (n == 0 && !waiting) break;
    int timeout = waiting ? (int)(next_start - t) + 1 : 1000;
    if (timeout > 1000) timeout = 1000;
    int ready = poll(pfd, (nfds_t)n, timeout);
    if (ready < 0 && errno != EINTR) { perror("poll"); return 1; }
    if (now_ms() > deadline + 10000) { fail("answers still open 10 s after the deadline"); break; }
    for (int k = 0; k < n; k++) {
      if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      struct conn *c = &conns[map[k]];
      ssize_t got = recv(c->fd, buf, sizeof buf, 0);
      double t = now_ms();
      int ended = 0;
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        // Closed by the server: an answer without framing ends here, any other is broken.
        if (c->head_done && c->kind == BODY_NONE) ended = 1;
        else fail("connection closed mid-answer");
        close(c->fd);
        c->fd = -1;
        if (!ended) { c->busy = 0; }
      } else {
        size_t used = 0;
        if (!c->head_done) {
          // Look for the end of the head across reads.
          size_t room = HEAD_MAX - 1 - c->head_len;
          size_t take = (size_t)got < room ? (size_t)got : room;
          memcpy(c->head + c->head_len, buf, take);
          size_t before = c->head_len;
          c->head_len += take;
          c->head[c->head_len] = 0;
          char *end = strstr(c->head, "\r\n\r\n");
          if (!end) {
            if (c->head_len >= HEAD_MAX - 1) { fail("response head too large"); close(c->fd); c->fd = -1; c->busy = 0; }
            continue;
          }
          size_t head_bytes = (size_t)(end - c->head) + 4;
          used = head_bytes - before;
          c->head_len = head_bytes;
          c->head_done = 1;
          parse_head(c);
          if (c->kind == BODY_LENGTH && c->remaining == 0) ended = 1;
        }
        if (!ended && (size_t)got > used) {
          if (c->tfirst == 0) c->tfirst = t;
          ended = feed_body(c, buf + used, (size_t)got - used);
        }
      }
      if (!ended) continue;
      c->busy = 0;
      if (c->status != 200) {
        char what[64];
        snprintf(what, sizeof what, "HTTP %d", c->status);
        fail(what);
      } else {
        ttfb[done_count] = (c->tfirst ? c->tfirst : t) - c->t0;
        total[done_count] = t - c->t0;
        done_count++;
      }
      if (issued < max_requests && t < deadline) send_request(c);
    }
  }
  double wall = now_ms() - started;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
  printf("{\"done\":%ld,\"errors\":%ld,\"firstError\":\"%s\",\"wallMs\":%.3f,\"cpuMs\":%.3f,\"ttfb\":[", done_count, errors, first_error, wall, cpu);
  for (long i = 0; i < done_count; i++) printf("%s%.4f", i ? "," : "", ttfb[i]);
  printf("],\"total\":[");
  for (long i = 0; i < done_count; i++) printf("%s%.4f", i ? "," : "", total[i]);
  printf("]}\n");
  return 0;
}
