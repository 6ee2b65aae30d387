package cdna.migration;

/**
 * The constants of a MigrationHandoff model: host A's pages 1..aPages, the
 * migrating guest's pages 1..gPages among them, how many writes and frames a
 * run may make, whether B has CDNA, and whether the migration may be cancelled.
 */
public record HandoffConfig(int aPages, int gPages, int maxWrites, int maxFrames, boolean bHasCdna, boolean mayCancel) {
    public HandoffConfig {
        if (gPages < 1 || aPages <= gPages) throw new IllegalArgumentException("need 1 <= gPages < aPages, found " + gPages + " and " + aPages);
        if (maxWrites < 0 || maxFrames < 0) throw new IllegalArgumentException("MaxWrites and MaxFrames must be natural numbers");
    }

    /** The size of MCMigrationSmall.cfg: 3 pages on A, 2 of them the guest's, 3 writes, 1 frame. */
    public static HandoffConfig small(boolean bHasCdna) { return new HandoffConfig(3, 2, 3, 1, bHasCdna, true); }
}
