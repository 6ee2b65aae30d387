package cdna.sim;

/**
 * A broken property, named as in the specs (see {@link #PROPERTIES}).
 * {@code kind} says how it was seen: ACCESS, a DMA access that hit a bad byte
 * (the exact access is in {@code detail}); REACH, the spec's invariant is false
 * in this state (for DMA: the device could make such an access without any
 * further software step, which fires a step or more before the access); DATA,
 * a byte of one guest's data found where it does not belong; EVENT, an
 * interrupt or a register write that broke an ownership property as it
 * happened; LIVENESS, an event still owed after the interrupt path ran to
 * completion.  {@code addr} is -1 and {@code page} 0 when no memory is involved.
 */
public record Violation(String property, Kind kind, long step, String action, String context, String guest,
                        long addr, int page, String pageOwner, String detail) {
    public enum Kind { ACCESS, REACH, DATA, EVENT, LIVENESS }

    public static final String INTER = "InterGuestIsolation";
    public static final String INTRA = "IntraGuestProtection";
    public static final String SINGLE_OWNER = "SingleOwner";
    public static final String NO_STALE_DMA = "NoStaleDma";
    public static final String NO_MISDIRECTED_INTERRUPT = "NoMisdirectedInterrupt";
    public static final String NO_INJECTED_INTERRUPT = "NoInjectedInterrupt";
    public static final String NO_LOST_INTERRUPT = "NoLostInterrupt";

    /** Every property the checker knows, in the order the specs list them. */
    public static final java.util.List<String> PROPERTIES = java.util.List.of(INTER, INTRA, SINGLE_OWNER, NO_STALE_DMA,
            NO_MISDIRECTED_INTERRUPT, NO_INJECTED_INTERRUPT, NO_LOST_INTERRUPT);

    @Override public String toString() {
        return property + " violated (" + kind + ") at step " + step + " [" + action + "]: " + detail;
    }
}
