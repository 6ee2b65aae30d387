package cdna.hypervisor;

import java.util.List;

/**
 * A guest's MAC addresses, from its identity alone: the same on every host,
 * so a guest that migrates keeps its address, as a VM keeps the MAC of its
 * virtual NIC.  Address k of guest g is its k-th network interface; a guest
 * that holds several contexts at once has one address for each.  Locally
 * administered unicast (first byte 02), then the 32 bits of the name's
 * String.hashCode (specified by the Java API, so stable across JVMs), then k.
 */
public final class GuestMacs {
    private GuestMacs() {}

    /** The address of guest g's k-th interface (0 <= k < 256). */
    public static String of(String g, int k) {
        if (g == null || k < 0 || k > 0xff) throw new IllegalArgumentException("no MAC for guest " + g + " interface " + k);
        int h = g.hashCode();
        return String.format("02:%02x:%02x:%02x:%02x:%02x", (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, k);
    }

    /**
     * Fails unless the guests' addresses are all different: two names with the same hash would
     * share their addresses, and one guest's frames would reach the other.
     */
    public static void checkDistinct(List<String> guests) {
        java.util.Map<Integer, String> seen = new java.util.HashMap<>();
        for (String g : guests) {
            String other = seen.putIfAbsent(g.hashCode(), g);
            if (other != null && !other.equals(g)) {
                throw new IllegalArgumentException("guests " + other + " and " + g + " would get the same MAC address (" + of(g, 0)
                        + "): rename one");
            }
        }
    }
}
