package cdna.nic;

import java.util.function.IntPredicate;

/**
 * The NIC's transmit arbiter: hands out the link's {@code linkRate} slots of
 * each tick, one packet at a time, to contexts that can send (assigned,
 * backlogged, holding a token: the caller's {@code eligible}).  An arbiter that
 * honours minimums grants a slot to a context that has had its minimum rate in
 * this tick only when no eligible context is still below its own; one that
 * does not (the known-bad design provisioning-arbiter-ignores-minimum) grants
 * any eligible context, which is what a fixed priority or any other order
 * blind to the minimums may do.  Contexts are numbered 1..n.
 * Spec: Provisioning's Send guard and {@code sentNow}.
 */
public final class TransmitArbiter {
    private final int linkRate;
    private final int[] minRate;
    private final boolean honoursMinimum;
    private final int[] sentNow;

    /** @param minRate each context's minimum rate, index 1..n (index 0 unused) */
    public TransmitArbiter(int linkRate, int[] minRate, boolean honoursMinimum) {
        if (linkRate < 1) throw new IllegalArgumentException("the link must carry at least one packet a tick, found " + linkRate);
        this.linkRate = linkRate;
        this.minRate = minRate.clone();
        this.honoursMinimum = honoursMinimum;
        this.sentNow = new int[minRate.length];
    }

    public int linkRate() { return linkRate; }

    /** Packets context c has sent in the current tick. */
    public int sentNow(int c) { return sentNow[c]; }

    /** Slots of the current tick already granted. */
    public int used() {
        int u = 0;
        for (int s : sentNow) u += s;
        return u;
    }

    private boolean belowMin(int c) { return sentNow[c] < minRate[c]; }

    /** Whether the arbiter may give the next slot to c. */
    public boolean mayGrant(int c, IntPredicate eligible) {
        if (used() >= linkRate || !eligible.test(c)) return false;
        if (!honoursMinimum || belowMin(c)) return true;
        for (int d = 1; d < sentNow.length; d++) if (eligible.test(d) && belowMin(d)) return false;
        return true;
    }

    /** Records a granted slot (the caller has checked {@link #mayGrant} and spent c's token). */
    public void grant(int c) { sentNow[c]++; }

    /** Whether the tick may end: the link is full, or nobody can send (the arbiter is work-conserving). */
    public boolean tickMayEnd(IntPredicate eligible) {
        if (used() >= linkRate) return true;
        for (int d = 1; d < sentNow.length; d++) if (eligible.test(d)) return false;
        return true;
    }

    /** Ends the tick: what each context sent in it (index 1..n), and the counts start again at zero. */
    public int[] endTick() {
        int[] out = sentNow.clone();
        java.util.Arrays.fill(sentNow, 0);
        return out;
    }
}
