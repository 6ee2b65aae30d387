package cdna.guest;

import cdna.hypervisor.GuestPhysical;
import cdna.sim.FullVirtHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An unmodified guest driver under full virtualization: it knows only its
 * guest-physical address space and writes guest-physical pages into its
 * descriptors.  Honest, it posts pages its p2m maps; hostile, any
 * guest-physical page at all, including ones outside its memory.  Around it,
 * guests balloon pages in and out and the NIC moves data for posted buffers.
 */
public final class FullVirtDriver {
    private FullVirtDriver() {}

    /** The guest-physical pages guest g has memory at. */
    public static List<Integer> ownGuestPages(FullVirtHost s, String g) {
        List<Integer> r = new ArrayList<>();
        for (int gp = 1; gp <= s.hypervisor().nGuestPages(); gp++) if (s.hypervisor().p2m(g, gp) != GuestPhysical.NO_PAGE) r.add(gp);
        return r;
    }

    /**
     * One random step: a page ballooned in or out, a buffer posted (by c's driver), completed, or
     * moved by the NIC.  Returns whether the step was taken.
     */
    public static boolean step(FullVirtHost s, Random rnd, boolean hostile) {
        GuestPhysical h = s.hypervisor();
        String c = s.contexts().get(rnd.nextInt(s.contexts().size()));
        String g = h.guests().get(rnd.nextInt(h.guests().size()));
        int gp = 1 + rnd.nextInt(h.nGuestPages());
        return switch (rnd.nextInt(5)) {
            case 0 -> s.allocatePage(g, gp, 1 + rnd.nextInt(h.nPages()));
            case 1 -> s.freePage(g, gp);
            case 2 -> {
                List<Integer> own = ownGuestPages(s, h.ctxOwner(s.ctx(c)));
                if (hostile) yield s.postBuffer(c, gp);
                yield !own.isEmpty() && s.postBuffer(c, own.get(rnd.nextInt(own.size())));
            }
            case 3 -> {
                int b = anyPosted(s, c, rnd);
                yield b > 0 && s.completeBuffer(c, b);
            }
            default -> {
                int b = anyPosted(s, c, rnd);
                yield b > 0 && s.nicDma(c, b);
            }
        };
    }

    // A buffer c has posted, or 0 if none.
    private static int anyPosted(FullVirtHost s, String c, Random rnd) {
        List<Integer> p = new ArrayList<>(s.hypervisor().posted(s.ctx(c)));
        return p.isEmpty() ? 0 : p.get(rnd.nextInt(p.size()));
    }

    /** A run of the given length from seed; the host records what broke. */
    public static FullVirtHost run(FullVirtHost s, long seed, int steps, boolean hostile) {
        Random rnd = new Random(seed);
        for (int i = 0; i < steps; i++) step(s, rnd, hostile);
        return s;
    }
}
