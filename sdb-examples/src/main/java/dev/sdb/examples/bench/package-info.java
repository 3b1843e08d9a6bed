/**
 * JMH benchmarks of SDB's in-memory hot path over {@link dev.sdb.store.MemoryStateStore}: single
 * writes ({@link dev.sdb.examples.bench.SdbOpsBenchmark}), and W1's transfer contract with
 * commitBlock, beside the same operations on bare HashMaps ({@link
 * dev.sdb.examples.bench.W1TransferBenchmark}). Run them with {@code sdb-examples/bench/jmh}; the
 * method and the results are in {@code docs/benchmarks.md}.
 *
 * <p>Every benchmark runs a fixed cycle of blocks (W1's blocks 1..100) and then, outside the
 * measured time, flushes and rolls back to genesis, so memory stays bounded and every cycle does
 * the same work on the same state.
 */
@NullMarked
package dev.sdb.examples.bench;

import org.jspecify.annotations.NullMarked;
