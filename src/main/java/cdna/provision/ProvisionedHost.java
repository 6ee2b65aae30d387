package cdna.provision;

import cdna.design.Design;
import cdna.hypervisor.RateAdmission;
import cdna.nic.TokenBucket;
import cdna.nic.TransmitArbiter;

import java.util.Set;

/**
 * Provisioning's Java twin: a NIC's token buckets and transmit arbiter, the
 * hypervisor's admission, and the guests' backlogs, composed; one method per
 * action of the spec (Assign, Release, Send, Tick), each returning whether it
 * was enabled, and changing nothing if not.  The NIC's per-context statistics
 * of the last W ticks ({@link #histSent}, {@link #histCov}) are what
 * {@link ProvisionChecker} judges.  Contexts are numbered 1..n.
 */
public final class ProvisionedHost {
    private final ProvisionConfig config;
    private final TokenBucket[] buckets;
    private final TransmitArbiter arbiter;
    private final RateAdmission admission;
    final boolean[] assigned;
    final boolean[] backlog;
    final boolean[] covNow;
    /** histSent[c][i]: packets c sent in the i-th of the last W completed ticks (i = W-1: the latest). */
    final int[][] histSent;
    /** histCov[c][i]: c was assigned and backlogged throughout that tick. */
    final boolean[][] histCov;
    /** Ticks since the start: the spec forgets absolute time; runs and replays use it to see time pass. */
    long ticks;

    public ProvisionedHost(ProvisionConfig config, Design design) {
        this.config = config;
        int n = config.contexts();
        buckets = new TokenBucket[n + 1];
        for (int c = 1; c <= n; c++) {
            buckets[c] = new TokenBucket(config.rate()[c], config.burst()[c], config.counterMax(), design.refillCapped());
        }
        arbiter = new TransmitArbiter(config.linkRate(), config.minRate(), design.arbiterHonoursMinimum());
        admission = new RateAdmission(config.linkRate(), design);
        assigned = new boolean[n + 1];
        backlog = new boolean[n + 1];
        covNow = new boolean[n + 1];
        histSent = new int[n + 1][config.window()];
        histCov = new boolean[n + 1][config.window()];
    }

    public ProvisionConfig config() { return config; }

    private boolean valid(int c) { return c >= 1 && c <= config.contexts(); }

    /** The minimums promised to the assigned contexts, in all. */
    public int assignedMinimums() {
        int s = 0;
        for (int c = 1; c <= config.contexts(); c++) if (assigned[c]) s += config.minRate()[c];
        return s;
    }

    /** c can send now: assigned, backlogged, holding a token. */
    public boolean eligible(int c) { return valid(c) && assigned[c] && backlog[c] && buckets[c].tokens() > 0; }

    public int tokens(int c) { return buckets[c].tokens(); }
    public int sentNow(int c) { return arbiter.sentNow(c); }
    public boolean assigned(int c) { return assigned[c]; }
    public boolean backlogged(int c) { return backlog[c]; }
    public long ticks() { return ticks; }

    /** The hypervisor assigns c if admission lets it, before the first send of a tick. */
    public boolean assign(int c) {
        if (!valid(c) || assigned[c] || arbiter.used() != 0) return false;
        if (!admission.admits(config.minRate()[c], assignedMinimums())) return false;
        assigned[c] = true;
        return true;
    }

    /** The hypervisor takes c back, before the first send of a tick. */
    public boolean release(int c) {
        if (!valid(c) || !assigned[c] || arbiter.used() != 0) return false;
        assigned[c] = false;
        backlog[c] = false;
        covNow[c] = false;
        return true;
    }

    /** Whether the arbiter may give the next slot to c (Send(c) is enabled). */
    public boolean mayGrant(int c) { return valid(c) && arbiter.mayGrant(c, this::eligible); }

    /** The arbiter gives the next slot of the link to c, which spends a token. */
    public boolean send(int c) {
        if (!mayGrant(c)) return false;
        buckets[c].take();
        arbiter.grant(c);
        return true;
    }

    /** Whether time may advance: the link is full or nobody can send. */
    public boolean tickEnabled() { return arbiter.tickMayEnd(this::eligible); }

    /**
     * Time advances: the tick goes into the statistics window, every bucket is
     * refilled, and {@code nextBacklog} (assigned contexts only) are backlogged
     * in the next tick.
     */
    public boolean tick(Set<Integer> nextBacklog) {
        for (int c : nextBacklog) if (!valid(c) || !assigned[c]) return false;
        if (!tickEnabled()) return false;
        int[] sent = arbiter.endTick();
        int w = config.window();
        for (int c = 1; c <= config.contexts(); c++) {
            buckets[c].refill();
            System.arraycopy(histSent[c], 1, histSent[c], 0, w - 1);
            histSent[c][w - 1] = sent[c];
            System.arraycopy(histCov[c], 1, histCov[c], 0, w - 1);
            histCov[c][w - 1] = covNow[c];
            backlog[c] = nextBacklog.contains(c);
            covNow[c] = backlog[c];
        }
        ticks++;
        return true;
    }
}
