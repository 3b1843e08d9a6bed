/**
 * Benchmark W1, the "transfer chain" ({@code BENCHMARK-W1.md}): its three models ({@link
 * dev.sdb.examples.w1.W1Models}), its deterministic random stream ({@link
 * dev.sdb.examples.w1.Mulberry32}), the generated transfers ({@link
 * dev.sdb.examples.w1.W1Workload}, {@link dev.sdb.examples.w1.W1Transfer}) and the contract that
 * applies one transfer to an {@link dev.sdb.Sdb} ({@link dev.sdb.examples.w1.W1Contract}). The JMH
 * hot-path benchmark and the W1 runner share these classes, so both run exactly the same workload.
 */
@NullMarked
package dev.sdb.examples.w1;

import org.jspecify.annotations.NullMarked;
