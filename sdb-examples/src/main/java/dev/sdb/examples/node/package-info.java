/**
 * The demo node ({@link dev.sdb.examples.node.DemoNode}): a small chain on SDB and the embedded
 * SQLite store. Its models are W1's Account (memory), Transfer and Transaction plus a Round; its
 * contracts are {@code basic.transfer} and {@code basic.setUserName}. One writer thread produces
 * blocks, rolls back failed contracts and forks now and then, while the HTTP read API ({@link
 * dev.sdb.examples.http}) serves the flushed state from the database.
 */
@NullMarked
package dev.sdb.examples.node;

import org.jspecify.annotations.NullMarked;
