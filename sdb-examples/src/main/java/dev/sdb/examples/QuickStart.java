package dev.sdb.examples;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.schema.Id;
import dev.sdb.schema.Model;
import dev.sdb.schema.Property;
import dev.sdb.schema.Schema;
import dev.sdb.store.MemoryStateStore;
import java.math.BigInteger;
import java.util.Map;

/**
 * The README's example, verbatim ({@code DocsSamplesTest} checks that the README's code occurs
 * here): a memory model, a genesis block, a block with one contract, and a block rollback. The
 * build runs it.
 */
public final class QuickStart {
  private QuickStart() {}

  // region readme
  @Model(memory = true)
  public record Account(@Id @Property(maxLength = 50) String address,
                        @Property(defaultValue = "0") BigInteger gny) {}

  public static void main(String[] args) {
    try (Sdb sdb = Sdb.builder().schema(Schema.of(Account.class))
        .store(new MemoryStateStore()).open()) {
      sdb.beginBlock(new BlockHeader(0, "genesis", null, 0));
      sdb.create(new Account("alice", BigInteger.valueOf(100)));
      sdb.create(new Account("bob", BigInteger.ZERO));
      sdb.commitBlock();

      sdb.beginBlock(new BlockHeader(1, "block-1", "genesis", 10));
      sdb.beginContract();
      sdb.lock("transfer@tx-1");
      sdb.increase(Account.class, Map.of("gny", -40), Map.of("address", "alice"));
      sdb.increase(Account.class, Map.of("gny", 40), Map.of("address", "bob"));
      sdb.commitContract();            // or rollbackContract(): undoes both increases and the lock
      sdb.commitBlock();               // returns at once; the store gets the block within 10 s
      sdb.rollbackBlock(0);            // undo block 1, in memory and in the store
      System.out.println(sdb.getAll(Account.class)); // alice 100, bob 0 again
    }
  }
  // endregion readme
}
