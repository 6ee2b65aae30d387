package cdna.sim;

/**
 * A broken property, named as in the specs (InterGuestIsolation or
 * IntraGuestProtection).  {@code kind} says how it was seen: ACCESS, a DMA
 * access that hit a bad byte (the exact access is in {@code detail}); REACH,
 * the device could make such an access from this state without any further
 * software step (the spec's invariant on DeviceReach, which fires one step
 * earlier); DATA, a byte of one guest's data found where it does not belong.
 */
public record Violation(String property, Kind kind, long step, String action, String context, String guest,
                        long addr, int page, String pageOwner, String detail) {
    public enum Kind { ACCESS, REACH, DATA }

    public static final String INTER = "InterGuestIsolation";
    public static final String INTRA = "IntraGuestProtection";

    @Override public String toString() {
        return property + " violated (" + kind + ") at step " + step + " [" + action + "]: " + detail;
    }
}
