/**
 * JMH benchmarks of SDB's in-memory hot path over {@link dev.sdb.store.MemoryStateStore}: single
 * writes ({@link dev.sdb.examples.bench.SdbOpsBenchmark}), and W1's transfer contract with
 * commitBlock, beside the same operations on bare HashMaps ({@link
 * dev.sdb.examples.bench.W1TransferBenchmark}). Run them with {@code sdb-examples/bench/jmh}; the
 * method and the results are in {@code docs/benchmarks.md}.
 *
 * <p>Every benchmark runs a fixed cycle of blocks (W1's blocks 1..100) and then, outside the
 * measured time, starts again from genesis on a new engine, so memory stays bounded and every cycle
 * does the same work on the same state.
 *
 * <p>Each fork touches its whole 2 GB heap at start ({@code -XX:+AlwaysPreTouch}), as a node that
 * has run for a while has: a fork lasts seconds, and without it most allocations land on pages
 * the kernel must first zero. That cost grows with the allocation rate, so it falls on SDB more
 * than on the baselines; how large it is depends on the machine (docs/benchmarks.md: from no
 * measurable change to 41% of a profiled run's CPU samples).
 */
@NullMarked
package dev.sdb.examples.bench;

import org.jspecify.annotations.NullMarked;
