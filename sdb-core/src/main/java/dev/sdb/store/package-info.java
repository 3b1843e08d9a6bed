/**
 * The store SPI, {@link dev.sdb.store.StateStore}: where committed blocks go and where cache misses
 * and start-up loads come from. {@link dev.sdb.store.MemoryStateStore} implements it in memory for
 * tests and benchmarks; {@code sdb-sql} implements it on a relational database.
 */
@NullMarked
package dev.sdb.store;

import org.jspecify.annotations.NullMarked;
