package cdna.nic;

/**
 * One context's transmit rate limiter, as SR-IOV NICs have one per function:
 * {@code rate} tokens are added every tick, a packet spends one, and the
 * bucket holds at most {@code burst} of them, so over any W ticks the context
 * sends at most rate × W + burst.  The counter is {@code counterMax} wide; a
 * refill that is not capped at the burst (the known-bad design
 * provisioning-refill-uncapped) stops only there.  Spec: Provisioning's
 * {@code tokens} and the refill in Tick.
 */
public final class TokenBucket {
    private final int rate;
    private final int burst;
    private final int counterMax;
    private final boolean capped;
    private int tokens;

    /** A full bucket (the spec's Init: tokens = Burst). */
    public TokenBucket(int rate, int burst, int counterMax, boolean capped) {
        if (rate < 0 || burst < rate || counterMax < burst) {
            throw new IllegalArgumentException("a token bucket needs 0 <= rate <= burst <= counterMax, found rate " + rate
                    + ", burst " + burst + ", counter " + counterMax);
        }
        this.rate = rate;
        this.burst = burst;
        this.counterMax = counterMax;
        this.capped = capped;
        this.tokens = burst;
    }

    public int tokens() { return tokens; }
    public int rate() { return rate; }
    public int burst() { return burst; }

    /** Spends a token for one packet; false (and nothing spent) if the bucket is empty. */
    public boolean take() {
        if (tokens == 0) return false;
        tokens--;
        return true;
    }

    /** A tick's refill: rate tokens, up to the burst if capped, and never past the counter's width. */
    public void refill() {
        int t = tokens + rate;
        if (capped && t > burst) t = burst;
        if (t > counterMax) t = counterMax;
        tokens = t;
    }
}
