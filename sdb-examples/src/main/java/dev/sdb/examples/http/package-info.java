/**
 * The node's HTTP read API ({@link dev.sdb.examples.http.HttpApi}): accounts, transfers with
 * paging, blocks and the node's status as JSON, served by the JDK's built-in HTTP server. Every
 * read goes straight to the database through the thread-safe {@link dev.sdb.sql.SdbReader}, so it
 * sees whole flushed blocks only; the single-writer engine is never called from a request thread.
 * Bad parameters are 400s, unknown things 404s, and failures 500s without server internals.
 */
@NullMarked
package dev.sdb.examples.http;

import org.jspecify.annotations.NullMarked;
