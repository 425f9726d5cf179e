/*
 * chserve: run the ClickHouse engine in libchdb.so as a local server.
 *
 * Usage: CHSERVE_LIB=/path/to/libchdb.so chserve [clickhouse-local arguments...]
 * The arguments go to chdb_query_cmdline() unchanged. With --http_port/--tcp_port and a query
 * "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; <long SELECT>" the engine serves both
 * protocols while that SELECT runs; SIGTERM ends the process.
 * Build: gcc -O2 -o chserve chserve.c -ldl   (no chdb.h needed: the signatures are below).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/* From chdb.h (chDB 26.x):
 *   chdb_result *chdb_query_cmdline(int argc, char **argv);
 *   void chdb_set_signal_handlers_enabled(int enabled);          (since 26.3, optional here)
 *   const char *chdb_result_error(chdb_result *result);          (NULL when no error) */
typedef void *(*query_cmdline_fn)(int, char **);
typedef void (*set_handlers_fn)(int);
typedef const char *(*result_error_fn)(void *);

int main(int argc, char **argv) {
    const char *path = getenv("CHSERVE_LIB");
    void *lib = dlopen(path && *path ? path : "libchdb.so", RTLD_NOW | RTLD_GLOBAL);
    if (!lib) { fprintf(stderr, "chserve: dlopen: %s\n", dlerror()); return 1; }
    query_cmdline_fn query = (query_cmdline_fn)dlsym(lib, "chdb_query_cmdline");
    if (!query) { fprintf(stderr, "chserve: no chdb_query_cmdline: %s\n", dlerror()); return 1; }
    /* chDB's own SIGSEGV handler sleeps for minutes before dying: keep the default behaviour. */
    set_handlers_fn set_handlers = (set_handlers_fn)dlsym(lib, "chdb_set_signal_handlers_enabled");
    if (set_handlers) set_handlers(0);

    argv[0] = "clickhouse";
    void *res = query(argc, argv);
    result_error_fn result_error = (result_error_fn)dlsym(lib, "chdb_result_error");
    const char *err = (res && result_error) ? result_error(res) : NULL;
    if (!res || err) { fprintf(stderr, "chserve: %s\n", err ? err : "no result"); return 1; }
    return 0;
}
