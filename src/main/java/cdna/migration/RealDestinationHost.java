package cdna.migration;

import cdna.design.Design;
import cdna.sim.Config;
import cdna.sim.HostSystem;

import java.util.List;

/**
 * Host B's memory as the reference implementation holds it: a {@link HostSystem}
 * where the guest's pages 1..gPages are allocated for it up front (as an
 * incoming migration reserves the guest's RAM), and CopyPage stores the bytes
 * A sends.  B's NIC context and its traffic are not driven here: the twin's
 * {@link DestinationHost} keeps them.
 */
public final class RealDestinationHost {
    private final HostSystem sys;

    public RealDestinationHost(HandoffConfig c, Design d) {
        Config cfg = new Config(List.of(Handoff.M), c.gPages(), RealSourceHost.PAGE_SIZE, RealSourceHost.PAGE_SIZE, List.of(), List.of(),
                2, 4, false, 4);
        sys = new HostSystem(cfg, d);
        for (int p = 1; p <= c.gPages(); p++) sys.allocatePage(Handoff.M, p);
    }

    public HostSystem system() { return sys; }

    /** CopyPage(p) on B: the migration stream stores A's bytes of guest page p into the guest's page p on B. */
    public boolean copyPage(int p, byte[] bytes) { return sys.guestWrite(Handoff.M, sys.memory().pageStart(p), bytes); }

    /** The bytes of the guest's page p on B (TLA+ memB[p], in bytes). */
    public byte[] page(int p) {
        byte[] r = new byte[RealSourceHost.PAGE_SIZE];
        for (int i = 0; i < r.length; i++) r[i] = sys.memory().read(sys.memory().pageStart(p) + i);
        return r;
    }
}
