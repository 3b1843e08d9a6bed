/**
 * SDB's engine and its public API: {@link dev.sdb.Sdb} (the single-writer engine driven by a
 * node's contract executor), block headers, deltas and change sets, listeners and the exception
 * family. The engine's parts (lifecycle, change tracker, tables, flusher) are package-private and
 * {@code final}; see {@link dev.sdb.Sdb} for how a block flows through them.
 */
@NullMarked
package dev.sdb;

import org.jspecify.annotations.NullMarked;
